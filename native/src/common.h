// Shared plumbing of the shim: the handle type, error capture, dtype/device mapping.
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "ltxnative.h"

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define LTX_NATIVE_FP8 1
#else
#define LTX_NATIVE_FP8 0
#endif
#if TORCH_VERSION_MAJOR >= 2
#define LTX_FUSED_SDPA 1
#else
#define LTX_FUSED_SDPA 0
#endif

// A tensor handle. `fp8` is set only where this libtorch has no float8 dtypes: the bytes then live
// in a uint8 tensor and the handle remembers which float8 format they encode.
struct LtxTensor {
  at::Tensor t;
  int32_t fp8 = -1;
};

struct LtxGenerator {
  at::Generator g;
};

namespace ltx {

void set_error(const char* message);

inline at::ScalarType scalar_type(int32_t code) {
  switch (code) {
    case LTX_DT_FLOAT32: return at::kFloat;
    case LTX_DT_FLOAT16: return at::kHalf;
    case LTX_DT_BFLOAT16: return at::kBFloat16;
#if LTX_NATIVE_FP8
    case LTX_DT_FLOAT8_E4M3FN: return at::kFloat8_e4m3fn;
    case LTX_DT_FLOAT8_E5M2: return at::kFloat8_e5m2;
#else
    case LTX_DT_FLOAT8_E4M3FN:
    case LTX_DT_FLOAT8_E5M2: return at::kByte;
#endif
    case LTX_DT_INT64: return at::kLong;
    case LTX_DT_INT32: return at::kInt;
    case LTX_DT_UINT8: return at::kByte;
    case LTX_DT_BOOL: return at::kBool;
    case LTX_DT_FLOAT64: return at::kDouble;
    case LTX_DT_INT16: return at::kShort;
    case LTX_DT_INT8: return at::kChar;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(code));
}

inline bool is_fp8_code(int32_t code) { return code == LTX_DT_FLOAT8_E4M3FN || code == LTX_DT_FLOAT8_E5M2; }

int32_t dtype_code(const LtxTensor* h);

inline at::Device device(int32_t type, int32_t index) {
  if (type == LTX_DEV_CPU) return at::Device(at::kCPU);
  if (type == LTX_DEV_CUDA) return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index < 0 ? 0 : index));
  if (type == LTX_DEV_META) return at::Device(at::kMeta);
  throw std::invalid_argument("unknown device type " + std::to_string(type));
}

inline at::TensorOptions options(int32_t dtype, int32_t dev, int32_t idx) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device(dev, idx));
}

inline at::IntArrayRef dims(const int64_t* values, int32_t count) {
  if (count < 0) throw std::invalid_argument("negative dimension count");
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline const LtxTensor* H(const LtxTensor* h) {
  if (!h) throw std::invalid_argument("tensor handle is null (disposed?)");
  return h;
}

// The tensor of a handle for computation: emulated float8 holds raw bytes, which no op may do math on.
inline const at::Tensor& T(const LtxTensor* h) {
  if (!h) throw std::invalid_argument("tensor handle is null (disposed?)");
  if (h->fp8 >= 0)
    throw std::invalid_argument(
        "float8 tensors support only conversion and data movement with this libtorch; convert with To(dtype) first");
  return h->t;
}

// The tensor of a handle for pure data movement (views, copies, cat): float8 bytes are fine.
inline const at::Tensor& V(const LtxTensor* h) {
  if (!h) throw std::invalid_argument("tensor handle is null (disposed?)");
  return h->t;
}

inline c10::optional<at::Tensor> opt(const LtxTensor* h) {
  if (!h) return c10::nullopt;
  return T(h);
}

inline LtxTensor* wrap(at::Tensor t) { return new LtxTensor{std::move(t), -1}; }

// A result of data movement from `src`: keeps src's emulated float8 tag.
inline LtxTensor* wrap_like(at::Tensor t, const LtxTensor* src) {
  return new LtxTensor{std::move(t), src ? src->fp8 : -1};
}

std::vector<at::Tensor> data_list(const ltx_tensor* ts, int32_t n, int32_t* fp8_tag);

}  // namespace ltx

// Entry-point guards: run the body, turn any C++ exception into the thread-local error.
#define LTX_GUARD(fail_value, ...)                                   \
  try {                                                              \
    __VA_ARGS__                                                      \
  } catch (const c10::Error& e) {                                    \
    ltx::set_error(e.what_without_backtrace());                      \
  } catch (const std::exception& e) {                                \
    ltx::set_error(e.what());                                        \
  } catch (...) {                                                    \
    ltx::set_error("unknown native error");                          \
  }                                                                  \
  return fail_value;

#define LTX_HANDLE(expr) LTX_GUARD(nullptr, { return ltx::wrap(expr); })
#define LTX_DATA(expr, src) LTX_GUARD(nullptr, { return ltx::wrap_like(expr, src); })
#define LTX_STATUS(...) LTX_GUARD(-1, { __VA_ARGS__ return 0; })
