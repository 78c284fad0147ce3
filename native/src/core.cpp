// Errors, handle lifetime, properties, creation and conversion.
#include <cstring>
#include <sstream>

#include "common.h"
#include "fp8.h"

namespace ltx {

static thread_local std::string last_error;

void set_error(const char* message) { last_error = message ? message : "unknown native error"; }

int32_t dtype_code(const LtxTensor* h) {
  if (h->fp8 >= 0) return h->fp8;
  switch (h->t.scalar_type()) {
    case at::kFloat: return LTX_DT_FLOAT32;
    case at::kHalf: return LTX_DT_FLOAT16;
    case at::kBFloat16: return LTX_DT_BFLOAT16;
#if LTX_NATIVE_FP8
    case at::kFloat8_e4m3fn: return LTX_DT_FLOAT8_E4M3FN;
    case at::kFloat8_e5m2: return LTX_DT_FLOAT8_E5M2;
#endif
    case at::kLong: return LTX_DT_INT64;
    case at::kInt: return LTX_DT_INT32;
    case at::kByte: return LTX_DT_UINT8;
    case at::kBool: return LTX_DT_BOOL;
    case at::kDouble: return LTX_DT_FLOAT64;
    case at::kShort: return LTX_DT_INT16;
    case at::kChar: return LTX_DT_INT8;
    default: throw std::invalid_argument(std::string("unsupported ATen dtype ") + c10::toString(h->t.scalar_type()));
  }
}

std::vector<at::Tensor> data_list(const ltx_tensor* ts, int32_t n, int32_t* fp8_tag) {
  if (n <= 0) throw std::invalid_argument("expected at least one tensor");
  std::vector<at::Tensor> list;
  list.reserve(n);
  *fp8_tag = H(ts[0])->fp8;
  for (int32_t i = 0; i < n; i++) {
    if (H(ts[i])->fp8 != *fp8_tag) throw std::invalid_argument("cannot mix float8 and other dtypes");
    list.push_back(ts[i]->t);
  }
  return list;
}

static LtxTensor* make(at::Tensor t, int32_t dtype) {
  auto* h = wrap(std::move(t));
  if (!LTX_NATIVE_FP8 && is_fp8_code(dtype)) h->fp8 = dtype;
  return h;
}

}  // namespace ltx

using namespace ltx;

extern "C" {

const char* ltx_last_error(void) { return last_error.c_str(); }
const char* ltx_torch_version(void) { return TORCH_VERSION; }
int32_t ltx_float8_is_native(void) { return LTX_NATIVE_FP8; }
int32_t ltx_has_fused_sdpa(void) { return LTX_FUSED_SDPA; }
#ifdef LTX_WITH_CUDA
int32_t ltx_cuda_compiled(void) { return 1; }
#else
int32_t ltx_cuda_compiled(void) { return 0; }
#endif

void ltx_tensor_free(ltx_tensor t) { delete t; }

int32_t ltx_tensor_ndim(ltx_tensor t) { LTX_GUARD(-1, { return static_cast<int32_t>(V(t).dim()); }) }

int32_t ltx_tensor_shape(ltx_tensor t, int64_t* out, int32_t capacity) {
  LTX_GUARD(-1, {
    auto sizes = V(t).sizes();
    for (size_t i = 0; i < sizes.size() && static_cast<int32_t>(i) < capacity; i++) out[i] = sizes[i];
    return static_cast<int32_t>(sizes.size());
  })
}

int32_t ltx_tensor_strides(ltx_tensor t, int64_t* out, int32_t capacity) {
  LTX_GUARD(-1, {
    auto strides = V(t).strides();
    for (size_t i = 0; i < strides.size() && static_cast<int32_t>(i) < capacity; i++) out[i] = strides[i];
    return static_cast<int32_t>(strides.size());
  })
}

int32_t ltx_tensor_dtype(ltx_tensor t) { LTX_GUARD(-1, { return dtype_code(H(t)); }) }

int32_t ltx_tensor_device(ltx_tensor t, int32_t* type, int32_t* index) {
  LTX_STATUS({
    auto d = V(t).device();
    *type = d.is_cuda() ? LTX_DEV_CUDA : d.is_meta() ? LTX_DEV_META : LTX_DEV_CPU;
    *index = d.has_index() ? d.index() : 0;
  })
}

int64_t ltx_tensor_numel(ltx_tensor t) { LTX_GUARD(-1, { return V(t).numel(); }) }
int32_t ltx_tensor_is_contiguous(ltx_tensor t) { LTX_GUARD(-1, { return V(t).is_contiguous() ? 1 : 0; }) }
void* ltx_tensor_data_ptr(ltx_tensor t) { LTX_GUARD(nullptr, { return V(t).data_ptr(); }) }

char* ltx_tensor_repr(ltx_tensor t) {
  LTX_GUARD(nullptr, {
    std::ostringstream s;
    if (t && t->fp8 >= 0) s << fp8_decode(t->t, t->fp8) << " (float8 code " << t->fp8 << ")";
    else s << V(t);
    auto str = s.str();
    char* out = static_cast<char*>(std::malloc(str.size() + 1));
    std::memcpy(out, str.c_str(), str.size() + 1);
    return out;
  })
}

void ltx_string_free(char* s) { std::free(s); }

ltx_tensor ltx_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx) {
  LTX_GUARD(nullptr, { return make(at::empty(dims(shape, ndim), options(dtype, dev, idx)), dtype); })
}

ltx_tensor ltx_full(const int64_t* shape, int32_t ndim, double value, int32_t dtype, int32_t dev, int32_t idx) {
  LTX_GUARD(nullptr, {
    if (!LTX_NATIVE_FP8 && is_fp8_code(dtype)) {
      auto bytes = at::full(dims(shape, ndim), static_cast<int64_t>(ltx_float_to_fp8(static_cast<float>(value), dtype)),
                            options(LTX_DT_UINT8, dev, idx));
      return make(bytes, dtype);
    }
    return make(at::full(dims(shape, ndim), value, options(dtype, dev, idx)), dtype);
  })
}

ltx_tensor ltx_arange(double start, double end, double step, int32_t dtype, int32_t dev, int32_t idx) {
  LTX_HANDLE(at::arange(start, end, step, options(dtype, dev, idx)))
}

ltx_tensor ltx_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t dev, int32_t idx) {
  LTX_HANDLE(at::linspace(start, end, steps, options(dtype, dev, idx)))
}

static c10::optional<at::Generator> gen_of(ltx_generator g) {
  if (!g) return c10::nullopt;
  return g->g;
}

ltx_tensor ltx_randn(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx, ltx_generator gen) {
  LTX_HANDLE(at::randn(dims(shape, ndim), gen_of(gen), options(dtype, dev, idx)))
}

ltx_tensor ltx_rand(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t dev, int32_t idx, ltx_generator gen) {
  LTX_HANDLE(at::rand(dims(shape, ndim), gen_of(gen), options(dtype, dev, idx)))
}

ltx_tensor ltx_from_data(const void* data, const int64_t* shape, int32_t ndim, int32_t dtype) {
  LTX_GUARD(nullptr, {
    auto t = at::empty(dims(shape, ndim), options(dtype, LTX_DEV_CPU, 0));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
    return make(t, dtype);
  })
}

ltx_tensor ltx_from_blob(void* data, const int64_t* shape, int32_t ndim, int32_t dtype) {
  LTX_GUARD(nullptr, { return make(at::from_blob(data, dims(shape, ndim), options(dtype, LTX_DEV_CPU, 0)), dtype); })
}

int32_t ltx_copy_to_host(ltx_tensor t, void* out, int64_t nbytes) {
  LTX_STATUS({
    auto c = V(t).to(at::kCPU).contiguous();
    int64_t have = c.numel() * static_cast<int64_t>(c.element_size());
    if (have != nbytes)
      throw std::invalid_argument("copy_to_host: tensor has " + std::to_string(have) + " bytes, buffer " +
                                  std::to_string(nbytes));
    if (have > 0) std::memcpy(out, c.data_ptr(), have);
  })
}

int32_t ltx_item(ltx_tensor t, double* out) { LTX_STATUS({ *out = T(t).item<double>(); }) }
int32_t ltx_item_int64(ltx_tensor t, int64_t* out) { LTX_STATUS({ *out = T(t).item<int64_t>(); }) }

ltx_tensor ltx_to(ltx_tensor t, int32_t dtype, int32_t dev, int32_t idx, int32_t non_blocking, int32_t copy) {
  LTX_GUARD(nullptr, {
    auto target = device(dev, idx);
    bool nb = non_blocking != 0, cp = copy != 0;
    const auto& src = V(t);
    if (!LTX_NATIVE_FP8 && (t->fp8 >= 0 || is_fp8_code(dtype))) {
      if (t->fp8 == dtype) return wrap_like(src.to(target, at::kByte, nb, cp), t);
      at::Tensor values = t->fp8 >= 0 ? fp8_decode(src, t->fp8) : src;
      if (is_fp8_code(dtype)) return make(fp8_encode(values, dtype).to(target), dtype);
      return wrap(values.to(target, scalar_type(dtype), nb, cp));
    }
    return wrap(src.to(target, scalar_type(dtype), nb, cp));
  })
}

int32_t ltx_copy_(ltx_tensor dst, ltx_tensor src) {
  LTX_STATUS({
    if (H(dst)->fp8 != H(src)->fp8) throw std::invalid_argument("copy_: convert float8 tensors with To(dtype) first");
    dst->t.copy_(src->t);
  })
}

ltx_tensor ltx_clone(ltx_tensor t) { LTX_DATA(V(t).clone(), t) }
ltx_tensor ltx_alias(ltx_tensor t) { LTX_DATA(V(t), t) }

}  // extern "C"
