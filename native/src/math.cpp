// Elementwise ops and reductions, selected by op code so the ABI stays small.
#include <algorithm>
#include <cmath>

#include <ATen/ScalarOps.h>

#include "common.h"

using namespace ltx;

namespace {

at::Tensor unary(int32_t op, const at::Tensor& x) {
  switch (op) {
    case LTX_U_NEG: return x.neg();
    case LTX_U_ABS: return x.abs();
    case LTX_U_SIGN: return x.sign();
    case LTX_U_SQRT: return x.sqrt();
    case LTX_U_RSQRT: return x.rsqrt();
    case LTX_U_EXP: return x.exp();
    case LTX_U_LOG: return x.log();
    case LTX_U_SIN: return x.sin();
    case LTX_U_COS: return x.cos();
    case LTX_U_TANH: return x.tanh();
    case LTX_U_SIGMOID: return x.sigmoid();
    case LTX_U_SILU: return at::silu(x);
    case LTX_U_GELU: return at::gelu(x);
    case LTX_U_GELU_TANH: return at::gelu(x, "tanh");
    case LTX_U_RELU: return x.relu();
    case LTX_U_SOFTPLUS: return at::softplus(x);
    case LTX_U_FLOOR: return x.floor();
    case LTX_U_CEIL: return x.ceil();
    case LTX_U_ROUND: return x.round();
    case LTX_U_RECIPROCAL: return x.reciprocal();
    case LTX_U_SQUARE: return x.square();
    case LTX_U_LOG1P: return x.log1p();
    case LTX_U_EXPM1: return x.expm1();
    case LTX_U_ERF: return x.erf();
    case LTX_U_LOGICAL_NOT: return x.logical_not();
    case LTX_U_ISNAN: return x.isnan();
    case LTX_U_ISFINITE: return x.isfinite();
    case LTX_U_TRUNC: return x.trunc();
    case LTX_U_LOG2: return x.log2();
    case LTX_U_MISH: return at::mish(x);
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}

// True in-place forms where ATen has them; the rest compute then copy back.
bool unary_inplace(int32_t op, at::Tensor& x) {
  switch (op) {
    case LTX_U_NEG: x.neg_(); return true;
    case LTX_U_ABS: x.abs_(); return true;
    case LTX_U_SQRT: x.sqrt_(); return true;
    case LTX_U_RSQRT: x.rsqrt_(); return true;
    case LTX_U_EXP: x.exp_(); return true;
    case LTX_U_LOG: x.log_(); return true;
    case LTX_U_SIN: x.sin_(); return true;
    case LTX_U_COS: x.cos_(); return true;
    case LTX_U_TANH: x.tanh_(); return true;
    case LTX_U_SIGMOID: x.sigmoid_(); return true;
    case LTX_U_SILU: at::silu_(x); return true;
    case LTX_U_RELU: x.relu_(); return true;
    case LTX_U_RECIPROCAL: x.reciprocal_(); return true;
    case LTX_U_SQUARE: x.square_(); return true;
    default: return false;
  }
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case LTX_B_ADD: return a.add(b);
    case LTX_B_SUB: return a.sub(b);
    case LTX_B_MUL: return a.mul(b);
    case LTX_B_DIV: return a.div(b);
    case LTX_B_POW: return a.pow(b);
    case LTX_B_MAXIMUM: return at::maximum(a, b);
    case LTX_B_MINIMUM: return at::minimum(a, b);
    case LTX_B_EQ: return a.eq(b);
    case LTX_B_NE: return a.ne(b);
    case LTX_B_LT: return a.lt(b);
    case LTX_B_LE: return a.le(b);
    case LTX_B_GT: return a.gt(b);
    case LTX_B_GE: return a.ge(b);
    case LTX_B_LOGICAL_AND: return a.logical_and(b);
    case LTX_B_LOGICAL_OR: return a.logical_or(b);
    case LTX_B_REMAINDER: return a.remainder(b);
    case LTX_B_ATAN2: return a.atan2(b);
    case LTX_B_FLOOR_DIVIDE: return a.div(b, "floor");
    case LTX_B_RSUB: return b.sub(a);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}

bool binary_inplace(int32_t op, at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case LTX_B_ADD: a.add_(b); return true;
    case LTX_B_SUB: a.sub_(b); return true;
    case LTX_B_MUL: a.mul_(b); return true;
    case LTX_B_DIV: a.div_(b); return true;
    case LTX_B_POW: a.pow_(b); return true;
    default: return false;
  }
}

at::Tensor run_binary(int32_t op, at::Tensor a, const at::Tensor& b, bool inplace) {
  if (!inplace) return binary(op, a, b);
  if (!binary_inplace(op, a, b)) a.copy_(binary(op, a, b));
  return a;
}

// An integral tensor with an integral scalar stays integral (ids + 1), as in PyTorch with a Python int.
at::Scalar scalar_for(const at::Tensor& t, double v) {
  if (!at::isFloatingType(t.scalar_type()) && std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e18)
    return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

std::vector<int64_t> dim_list(const at::Tensor& x, const int64_t* dims, int32_t ndims) {
  std::vector<int64_t> out;
  if (ndims == 0) {
    for (int64_t i = 0; i < x.dim(); i++) out.push_back(i);
  } else {
    for (int32_t i = 0; i < ndims; i++) out.push_back(at::maybe_wrap_dim(dims[i], x.dim()));
  }
  return out;
}

int64_t one_dim(const int64_t* dims, int32_t ndims, const char* name) {
  if (ndims != 1) throw std::invalid_argument(std::string(name) + " takes exactly one dim");
  return dims[0];
}

// all/any over several dims: one dim at a time, highest first, so earlier indices stay valid.
at::Tensor logical_reduce(bool all, const at::Tensor& x, std::vector<int64_t> dims, bool keepdim) {
  std::sort(dims.rbegin(), dims.rend());
  at::Tensor r = x;
  for (auto d : dims) r = all ? r.all(d, keepdim) : r.any(d, keepdim);
  return r;
}

}  // namespace

extern "C" {

ltx_tensor ltx_unary(int32_t op, ltx_tensor t, int32_t inplace) {
  LTX_GUARD(nullptr, {
    at::Tensor x = T(t);
    if (!inplace) return wrap(unary(op, x));
    if (!unary_inplace(op, x)) x.copy_(unary(op, x));
    return wrap(x);
  })
}

ltx_tensor ltx_binary(int32_t op, ltx_tensor a, ltx_tensor b, int32_t inplace) {
  LTX_HANDLE(run_binary(op, T(a), T(b), inplace != 0))
}

ltx_tensor ltx_binary_scalar(int32_t op, ltx_tensor a, double b, int32_t inplace) {
  LTX_GUARD(nullptr, {
    const at::Tensor& x = T(a);
    // A wrapped-number tensor promotes like a Python scalar: it never upcasts x's float dtype.
    auto s = at::scalar_to_tensor(scalar_for(x, b));
    s.unsafeGetTensorImpl()->set_wrapped_number(true);
    return wrap(run_binary(op, x, s, inplace != 0));
  })
}

ltx_tensor ltx_leaky_relu(ltx_tensor t, double slope) { LTX_HANDLE(at::leaky_relu(T(t), slope)) }
ltx_tensor ltx_softplus(ltx_tensor t, double beta, double threshold) { LTX_HANDLE(at::softplus(T(t), beta, threshold)) }

ltx_tensor ltx_clamp(ltx_tensor t, int32_t has_min, double min, int32_t has_max, double max, int32_t inplace) {
  LTX_GUARD(nullptr, {
    c10::optional<at::Scalar> lo, hi;
    if (has_min) lo = min;
    if (has_max) hi = max;
    at::Tensor x = T(t);
    if (inplace) return wrap(x.clamp_(lo, hi));
    return wrap(x.clamp(lo, hi));
  })
}

ltx_tensor ltx_where(ltx_tensor cond, ltx_tensor a, ltx_tensor b) { LTX_HANDLE(at::where(T(cond), T(a), T(b))) }

ltx_tensor ltx_masked_fill(ltx_tensor t, ltx_tensor mask, double value, int32_t inplace) {
  LTX_GUARD(nullptr, {
    at::Tensor x = T(t);
    if (inplace) return wrap(x.masked_fill_(T(mask), value));
    return wrap(x.masked_fill(T(mask), value));
  })
}

ltx_tensor ltx_addcmul(ltx_tensor a, ltx_tensor b, ltx_tensor c, double value) {
  LTX_HANDLE(at::addcmul(T(a), T(b), T(c), value))
}
ltx_tensor ltx_lerp(ltx_tensor a, ltx_tensor b, double weight) { LTX_HANDLE(at::lerp(T(a), T(b), weight)) }

ltx_tensor ltx_reduce(int32_t op, ltx_tensor t, const int64_t* dims, int32_t ndims, int32_t keepdim, double correction) {
  LTX_GUARD(nullptr, {
    const at::Tensor& x = T(t);
    bool keep = keepdim != 0;
    auto d = dim_list(x, dims, ndims);
    switch (op) {
      case LTX_R_SUM: return wrap(x.sum(d, keep));
      case LTX_R_MEAN: return wrap(x.mean(d, keep));
      case LTX_R_AMAX: return wrap(x.amax(d, keep));
      case LTX_R_AMIN: return wrap(x.amin(d, keep));
      case LTX_R_PROD: return wrap(ndims == 0 ? x.prod() : x.prod(one_dim(dims, ndims, "prod"), keep));
      case LTX_R_VAR: return wrap(x.var(at::IntArrayRef(d), correction != 0, keep));
      case LTX_R_STD: return wrap(x.std(at::IntArrayRef(d), correction != 0, keep));
      case LTX_R_ARGMAX: return wrap(ndims == 0 ? x.argmax() : x.argmax(one_dim(dims, ndims, "argmax"), keep));
      case LTX_R_ARGMIN: return wrap(ndims == 0 ? x.argmin() : x.argmin(one_dim(dims, ndims, "argmin"), keep));
      case LTX_R_CUMSUM: return wrap(x.cumsum(one_dim(dims, ndims, "cumsum")));
      case LTX_R_ALL: return wrap(ndims == 0 && !keep ? x.all() : logical_reduce(true, x, d, keep));
      case LTX_R_ANY: return wrap(ndims == 0 && !keep ? x.any() : logical_reduce(false, x, d, keep));
      case LTX_R_LOGSUMEXP: return wrap(at::logsumexp(x, d, keep));
      case LTX_R_NORM: return wrap(at::norm(x, at::Scalar(correction), at::IntArrayRef(d), keep));
    }
    throw std::invalid_argument("unknown reduction " + std::to_string(op));
  })
}

}  // extern "C"
