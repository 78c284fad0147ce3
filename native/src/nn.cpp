// Linear algebra and neural-network ops: matmul family, convolutions, norms, padding,
// interpolation, shuffles, softmax, embedding and scaled-dot-product attention.
#include <cmath>

#include "common.h"
#include "fp8.h"

using namespace ltx;

namespace {

// Explicit attention for libtorch without the fused op (1.13). Fully masked query rows give zeros,
// the convention of PyTorch >= 2.5's fused kernels, so padded rows stay finite.
at::Tensor attention_math(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          const c10::optional<at::Tensor>& mask, bool causal, double scale) {
  auto scores = at::matmul(q, k.transpose(-2, -1)).mul(scale);
  c10::optional<at::Tensor> keep;  // bool, true = attend
  if (causal) {
    auto lq = q.size(-2), lk = k.size(-2);
    keep = at::ones({lq, lk}, q.options().dtype(at::kBool)).tril();
  }
  if (mask) {
    if (mask->scalar_type() == at::kBool) keep = keep ? keep->logical_and(*mask) : *mask;
    else scores = scores.add(*mask);
  }
  if (keep) scores = scores.masked_fill(keep->logical_not(), -INFINITY);
  auto probs = at::softmax(scores, -1, at::kFloat);
  if (keep) probs = probs.masked_fill(keep->any(-1, true).logical_not(), 0.0);
  else if (mask) probs = at::nan_to_num(probs, 0.0);  // additive masks of -inf on a whole row
  return at::matmul(probs.to(v.scalar_type()), v);
}

// Weight of a float8 linear as values in the activation dtype.
at::Tensor upcast_weight(const LtxTensor* w, at::ScalarType dtype) {
  if (w->fp8 >= 0) return fp8_decode(w->t, w->fp8).to(dtype);
  return w->t.to(dtype);
}

// Debian 13's libtorch 2.6 is built against the system oneDNN (3.7), and its CPU convolutions through oneDNN are
// wrong whenever the input channels are not a multiple of 16 and the batch is above 1 (float32: errors as large as the
// outputs, NaN in 1-d) or, in bfloat16, even at batch 1 (AVX512-BF16 CPUs). libtorch 1.13 and PyTorch's own builds
// (bundled oneDNN) are right. So once per process, before the first CPU convolution, a float32 convolution of that
// shape is checked against the same one in float64 (which ATen never sends to oneDNN); when they disagree, oneDNN is
// switched off for the process and ATen's own kernels (slower, right) run every convolution. Values come from
// sin/cos of a ramp, not the random generator, so seeded runs are unaffected.
bool probe_onednn_conv() {
  if (!at::globalContext().userEnabledMkldnn()) return true;
  auto x = at::arange(2 * 20 * 5 * 4, at::kDouble).mul(0.37).sin().reshape({2, 20, 5, 4});
  auto w = at::arange(20 * 20 * 3 * 3, at::kDouble).mul(0.11).cos().div(10).reshape({20, 20, 3, 3});
  auto expected = at::convolution(x, w, c10::nullopt, {1, 1}, {1, 1}, {1, 1}, false, {0, 0}, 1);
  auto actual = at::convolution(x.to(at::kFloat), w.to(at::kFloat), c10::nullopt, {1, 1}, {1, 1}, {1, 1}, false, {0, 0}, 1);
  double error = actual.to(at::kDouble).sub(expected).abs().max().item<double>();
  bool ok = error <= 1e-4 * (1 + expected.abs().max().item<double>());  // false for NaN too
  if (!ok) at::globalContext().setUserEnabledMkldnn(false);
  return ok;
}

bool cpu_onednn_conv_ok() {
  static const bool ok = probe_onednn_conv();
  return ok;
}

}  // namespace

extern "C" {

int32_t ltx_cpu_onednn_conv_ok(void) { LTX_GUARD(-1, { return cpu_onednn_conv_ok() ? 1 : 0; }) }

ltx_tensor ltx_matmul(ltx_tensor a, ltx_tensor b) { LTX_HANDLE(at::matmul(T(a), T(b))) }
ltx_tensor ltx_bmm(ltx_tensor a, ltx_tensor b) { LTX_HANDLE(at::bmm(T(a), T(b))) }
ltx_tensor ltx_baddbmm(ltx_tensor self, ltx_tensor a, ltx_tensor b, double beta, double alpha) {
  LTX_HANDLE(at::baddbmm(T(self), T(a), T(b), beta, alpha))
}
ltx_tensor ltx_linear(ltx_tensor x, ltx_tensor w, ltx_tensor bias) { LTX_HANDLE(at::linear(T(x), T(w), opt(bias))) }

ltx_tensor ltx_scaled_linear(ltx_tensor x, ltx_tensor w, ltx_tensor scale_x, ltx_tensor scale_w, ltx_tensor bias,
                             int32_t out_dtype) {
  LTX_GUARD(nullptr, {
    const at::Tensor& input = T(x);
    auto dtype = scalar_type(out_dtype);
    // fp8-cast: the weight is stored in float8 and upcast for this layer only.
    auto weight = upcast_weight(H(w), dtype);
    if (scale_w) weight = weight.mul(T(scale_w).to(dtype));
    auto in = input.to(dtype);
    if (scale_x) in = in.mul(T(scale_x).to(dtype));
    c10::optional<at::Tensor> b;
    if (bias) b = upcast_weight(H(bias), dtype);
    return wrap(at::linear(in, weight, b));
  })
}

// Convolutions and transposed convolutions. bfloat16 on the CPU is computed in float32 and rounded once to
// bfloat16: float32 accumulation with one final rounding is what a correct bfloat16 kernel computes (bf16 x bf16
// products are exact in float32), so the result is the same on every libtorch; CUDA keeps the native kernels.
// The first CPU convolution also checks oneDNN (cpu_onednn_conv_ok).
ltx_tensor ltx_conv(ltx_tensor x, ltx_tensor w, ltx_tensor bias, const int64_t* stride, const int64_t* padding,
                    const int64_t* dilation, const int64_t* output_padding, int32_t spatial, int32_t transposed,
                    int64_t groups) {
  LTX_GUARD(nullptr, {
    const at::Tensor& input = T(x);
    if (input.is_cpu()) cpu_onednn_conv_ok();
    at::Tensor weight = T(w);
    auto b = opt(bias);
    const bool via_float = input.is_cpu() && input.scalar_type() == at::kBFloat16;
    if (via_float) {
      weight = weight.to(at::kFloat);
      if (b) b = b->to(at::kFloat);
    }
    auto y = at::convolution(via_float ? input.to(at::kFloat) : input, weight, b, dims(stride, spatial),
                             dims(padding, spatial), dims(dilation, spatial), transposed != 0,
                             dims(output_padding, spatial), groups);
    return wrap(via_float ? y.to(at::kBFloat16) : y);
  })
}

ltx_tensor ltx_group_norm(ltx_tensor x, int64_t groups, ltx_tensor w, ltx_tensor b, double eps) {
  LTX_HANDLE(at::group_norm(T(x), groups, opt(w), opt(b), eps))
}

ltx_tensor ltx_layer_norm(ltx_tensor x, const int64_t* shape, int32_t ndim, ltx_tensor w, ltx_tensor b, double eps) {
  LTX_HANDLE(at::layer_norm(T(x), dims(shape, ndim), opt(w), opt(b), eps))
}

ltx_tensor ltx_rms_norm(ltx_tensor x, ltx_tensor w, double eps) {
  LTX_GUARD(nullptr, {
    const at::Tensor& input = T(x);
    auto xf = input.to(at::kFloat);
    auto normed = xf.mul(at::rsqrt(xf.square().mean(-1, true).add(eps))).to(input.scalar_type());
    if (w) normed = normed.mul(T(w));
    return wrap(normed);
  })
}

ltx_tensor ltx_pad(ltx_tensor x, const int64_t* pad, int32_t npad, int32_t mode, double value) {
  LTX_GUARD(nullptr, {
    static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
    if (mode < 0 || mode > 3) throw std::invalid_argument("unknown pad mode " + std::to_string(mode));
    c10::optional<double> v;
    if (mode == 0) v = value;
    return wrap(at::pad(T(x), dims(pad, npad), modes[mode], v));
  })
}

ltx_tensor ltx_interpolate(ltx_tensor x, const int64_t* size, int32_t nsize, int32_t mode, int32_t align_corners) {
  LTX_GUARD(nullptr, {
    const at::Tensor& in = T(x);
    auto out = dims(size, nsize);
    if (in.dim() != nsize + 2)
      throw std::invalid_argument("interpolate: input of rank " + std::to_string(in.dim()) + " needs " +
                                  std::to_string(in.dim() - 2) + " output sizes, got " + std::to_string(nsize));
    bool ac = align_corners != 0;
    auto none = c10::nullopt;
    if (mode == 0) {
      if (nsize == 1) return wrap(at::upsample_nearest1d(in, out, none));
      if (nsize == 2) return wrap(at::upsample_nearest2d(in, out, none, none));
      if (nsize == 3) return wrap(at::upsample_nearest3d(in, out, none, none, none));
    } else if (mode == 1) {
      if (nsize == 1) return wrap(at::upsample_linear1d(in, out, ac, none));
      if (nsize == 2) return wrap(at::upsample_bilinear2d(in, out, ac, none, none));
      if (nsize == 3) return wrap(at::upsample_trilinear3d(in, out, ac, none, none, none));
    } else if (mode == 2) {
      if (nsize == 1) return wrap(at::_upsample_nearest_exact1d(in, out, none));
      if (nsize == 2) return wrap(at::_upsample_nearest_exact2d(in, out, none, none));
      if (nsize == 3) return wrap(at::_upsample_nearest_exact3d(in, out, none, none, none));
    }
    throw std::invalid_argument("interpolate: unsupported mode " + std::to_string(mode) + " for " +
                                std::to_string(nsize) + " spatial dims");
  })
}

ltx_tensor ltx_pixel_shuffle(ltx_tensor x, int64_t factor, int32_t inverse) {
  LTX_HANDLE(inverse ? at::pixel_unshuffle(T(x), factor) : at::pixel_shuffle(T(x), factor))
}

ltx_tensor ltx_softmax(ltx_tensor x, int64_t dim, int32_t log) {
  LTX_HANDLE(log ? at::log_softmax(T(x), dim) : at::softmax(T(x), dim))
}

ltx_tensor ltx_embedding(ltx_tensor weight, ltx_tensor ids) { LTX_HANDLE(at::embedding(T(weight), T(ids))) }

ltx_tensor ltx_sdpa(ltx_tensor q, ltx_tensor k, ltx_tensor v, ltx_tensor mask, int32_t is_causal, double scale) {
  LTX_GUARD(nullptr, {
    const at::Tensor& query = T(q);
    double s = scale > 0 ? scale : 1.0 / std::sqrt(static_cast<double>(query.size(-1)));
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
    auto m = opt(mask);
    bool causal = is_causal != 0;
    if (m && causal) {
      // The fused op takes a mask or is_causal, not both: fold the causal rule into a bool mask.
      auto lq = query.size(-2), lk = T(k).size(-2);
      auto lower = at::ones({lq, lk}, query.options().dtype(at::kBool)).tril();
      m = m->scalar_type() == at::kBool ? m->logical_and(lower) : m->masked_fill(lower.logical_not(), -INFINITY);
      causal = false;
    }
    auto out = at::scaled_dot_product_attention(query, T(k), T(v), m, 0.0, causal, s);
#if TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR < 5
    // Before 2.5 a query row that may attend to nothing gives NaN; later versions (and our 1.13 path) give zeros.
    if (m && m->scalar_type() == at::kBool) out = out.masked_fill(m->any(-1, true).logical_not(), 0.0);
#endif
    return wrap(out);
#else
    return wrap(attention_math(query, T(k), T(v), opt(mask), is_causal != 0, s));
#endif
  })
}

}  // extern "C"
