// Views and shape ops. These move data only, so they also accept emulated float8 tensors.
#include "common.h"

using namespace ltx;

namespace {
int32_t write_list(const std::vector<at::Tensor>& parts, const LtxTensor* src, ltx_tensor* out, int32_t capacity) {
  if (static_cast<int32_t>(parts.size()) > capacity)
    throw std::invalid_argument("split produced " + std::to_string(parts.size()) + " parts, room for " +
                                std::to_string(capacity));
  for (size_t i = 0; i < parts.size(); i++) out[i] = wrap_like(parts[i], src);
  return static_cast<int32_t>(parts.size());
}
}  // namespace

extern "C" {

ltx_tensor ltx_reshape(ltx_tensor t, const int64_t* shape, int32_t ndim) { LTX_DATA(V(t).reshape(dims(shape, ndim)), t) }
ltx_tensor ltx_view(ltx_tensor t, const int64_t* shape, int32_t ndim) { LTX_DATA(V(t).view(dims(shape, ndim)), t) }
ltx_tensor ltx_permute(ltx_tensor t, const int64_t* d, int32_t ndim) { LTX_DATA(V(t).permute(dims(d, ndim)), t) }
ltx_tensor ltx_transpose(ltx_tensor t, int64_t d0, int64_t d1) { LTX_DATA(V(t).transpose(d0, d1), t) }
ltx_tensor ltx_narrow(ltx_tensor t, int64_t dim, int64_t start, int64_t length) { LTX_DATA(V(t).narrow(dim, start, length), t) }
ltx_tensor ltx_slice(ltx_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  LTX_DATA(V(t).slice(dim, start, end, step), t)
}
ltx_tensor ltx_select(ltx_tensor t, int64_t dim, int64_t index) { LTX_DATA(V(t).select(dim, index), t) }
ltx_tensor ltx_index_select(ltx_tensor t, int64_t dim, ltx_tensor index) { LTX_DATA(V(t).index_select(dim, T(index)), t) }
ltx_tensor ltx_gather(ltx_tensor t, int64_t dim, ltx_tensor index) { LTX_DATA(V(t).gather(dim, T(index)), t) }

ltx_tensor ltx_cat(const ltx_tensor* ts, int32_t n, int64_t dim) {
  LTX_GUARD(nullptr, {
    int32_t tag;
    auto list = data_list(ts, n, &tag);
    auto* h = wrap(at::cat(list, dim));
    h->fp8 = tag;
    return h;
  })
}

ltx_tensor ltx_stack(const ltx_tensor* ts, int32_t n, int64_t dim) {
  LTX_GUARD(nullptr, {
    int32_t tag;
    auto list = data_list(ts, n, &tag);
    auto* h = wrap(at::stack(list, dim));
    h->fp8 = tag;
    return h;
  })
}

int32_t ltx_split(ltx_tensor t, const int64_t* sizes, int32_t nsizes, int64_t dim, ltx_tensor* out, int32_t capacity) {
  LTX_GUARD(-1, { return write_list(V(t).split_with_sizes(dims(sizes, nsizes), dim), t, out, capacity); })
}

int32_t ltx_chunk(ltx_tensor t, int64_t chunks, int64_t dim, ltx_tensor* out, int32_t capacity) {
  LTX_GUARD(-1, { return write_list(V(t).chunk(chunks, dim), t, out, capacity); })
}

ltx_tensor ltx_expand(ltx_tensor t, const int64_t* shape, int32_t ndim) { LTX_DATA(V(t).expand(dims(shape, ndim)), t) }
ltx_tensor ltx_repeat(ltx_tensor t, const int64_t* r, int32_t ndim) { LTX_DATA(V(t).repeat(dims(r, ndim)), t) }
ltx_tensor ltx_repeat_interleave(ltx_tensor t, int64_t repeats, int64_t dim) {
  LTX_DATA(V(t).repeat_interleave(repeats, dim), t)
}
ltx_tensor ltx_squeeze(ltx_tensor t, int64_t dim, int32_t all) { LTX_DATA(all ? V(t).squeeze() : V(t).squeeze(dim), t) }
ltx_tensor ltx_unsqueeze(ltx_tensor t, int64_t dim) { LTX_DATA(V(t).unsqueeze(dim), t) }
ltx_tensor ltx_flatten(ltx_tensor t, int64_t start, int64_t end) { LTX_DATA(V(t).flatten(start, end), t) }
ltx_tensor ltx_contiguous(ltx_tensor t) { LTX_DATA(V(t).contiguous(), t) }
ltx_tensor ltx_flip(ltx_tensor t, const int64_t* d, int32_t ndim) { LTX_DATA(V(t).flip(dims(d, ndim)), t) }
ltx_tensor ltx_roll(ltx_tensor t, const int64_t* shifts, const int64_t* d, int32_t n) {
  LTX_DATA(V(t).roll(dims(shifts, n), dims(d, n)), t)
}
ltx_tensor ltx_tril(ltx_tensor t, int64_t diagonal, int32_t upper) {
  LTX_HANDLE(upper ? T(t).triu(diagonal) : T(t).tril(diagonal))
}
ltx_tensor ltx_scatter(ltx_tensor t, int64_t dim, ltx_tensor index, ltx_tensor src) {
  LTX_HANDLE(T(t).scatter(dim, T(index), T(src)))
}
ltx_tensor ltx_nonzero(ltx_tensor t) { LTX_HANDLE(T(t).nonzero()) }

ltx_tensor ltx_sort(ltx_tensor t, int64_t dim, int32_t descending, int32_t stable, ltx_tensor* indices) {
  LTX_GUARD(nullptr, {
    auto result = T(t).sort(c10::optional<bool>(stable != 0), dim, descending != 0);
    *indices = wrap(std::get<1>(result));
    return wrap(std::get<0>(result));
  })
}

ltx_tensor ltx_topk(ltx_tensor t, int64_t k, int64_t dim, int32_t largest, ltx_tensor* indices) {
  LTX_GUARD(nullptr, {
    auto result = T(t).topk(k, dim, largest != 0, true);
    *indices = wrap(std::get<1>(result));
    return wrap(std::get<0>(result));
  })
}

ltx_tensor ltx_multinomial(ltx_tensor probs, int64_t n, int32_t replacement, ltx_generator gen) {
  LTX_GUARD(nullptr, {
    c10::optional<at::Generator> g;
    if (gen) g = gen->g;
    return wrap(at::multinomial(T(probs), n, replacement != 0, g));
  })
}

}  // extern "C"
