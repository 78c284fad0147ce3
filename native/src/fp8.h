// Float8 (e4m3fn, e5m2) bit conversions, and the byte-tensor emulation used where libtorch lacks float8.
#pragma once
#include <ATen/ATen.h>

namespace ltx {
// Bytes (uint8 tensor, any device) in the given float8 format -> float32 values.
at::Tensor fp8_decode(const at::Tensor& bytes, int32_t code);
// Values -> uint8 tensor of float8 bytes (round to nearest even, PyTorch's overflow rules), on x's device.
at::Tensor fp8_encode(const at::Tensor& x, int32_t code);
}  // namespace ltx
