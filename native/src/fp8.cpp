// Float8 conversions with PyTorch's semantics: round to nearest even; e4m3fn has no infinity
// (overflow -> NaN 0x7F), e5m2 overflows to infinity. Decoding goes through a 256-entry table
// so it runs as one gather on whatever device holds the bytes.
#include <cmath>
#include <cstring>

#include <ATen/Parallel.h>

#include "common.h"
#include "fp8.h"

namespace {

uint32_t bits_of(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
float float_of(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

uint8_t encode_e4m3fn(float value) {
  uint32_t f = bits_of(value);
  const uint32_t sign = f & 0x80000000u;
  f ^= sign;
  uint8_t out;
  if (f >= (1087u << 20)) {  // >= 480 (half way past 448) or NaN/inf
    out = 0x7F;
  } else if (f < (121u << 23)) {  // below the smallest normal (2^-6): subnormal via float addition rounding
    const uint32_t denorm = 141u << 23;
    out = static_cast<uint8_t>(bits_of(float_of(f) + float_of(denorm)) - denorm);
  } else {
    uint32_t odd = (f >> 20) & 1u;
    f += (static_cast<uint32_t>(7 - 127) << 23) + 0x7FFFFu + odd;
    out = static_cast<uint8_t>(f >> 20);
  }
  return out | static_cast<uint8_t>(sign >> 24);
}

uint8_t encode_e5m2(float value) {
  uint32_t f = bits_of(value);
  const uint32_t sign = f & 0x80000000u;
  f ^= sign;
  uint8_t out;
  if (f >= (143u << 23)) {  // >= 65536 (half way past 57344): infinity, NaN stays NaN
    out = f > (255u << 23) ? 0x7F : 0x7C;
  } else if (f < (113u << 23)) {  // below 2^-14
    const uint32_t denorm = 134u << 23;
    out = static_cast<uint8_t>(bits_of(float_of(f) + float_of(denorm)) - denorm);
  } else {
    uint32_t odd = (f >> 21) & 1u;
    f += (static_cast<uint32_t>(15 - 127) << 23) + 0xFFFFFu + odd;
    out = static_cast<uint8_t>(f >> 21);
  }
  return out | static_cast<uint8_t>(sign >> 24);
}

float decode(uint8_t b, int32_t code) {
  const bool negative = (b & 0x80) != 0;
  float v;
  if (code == LTX_DT_FLOAT8_E4M3FN) {
    int e = (b >> 3) & 0xF, m = b & 0x7;
    if (e == 0xF && m == 0x7) return std::nanf("");
    v = e == 0 ? std::ldexp(static_cast<float>(m), -9) : std::ldexp(1.0f + m / 8.0f, e - 7);
  } else {
    int e = (b >> 2) & 0x1F, m = b & 0x3;
    if (e == 0x1F) return m ? std::nanf("") : (negative ? -INFINITY : INFINITY);
    v = e == 0 ? std::ldexp(static_cast<float>(m), -16) : std::ldexp(1.0f + m / 4.0f, e - 15);
  }
  return negative ? -v : v;
}

}  // namespace

namespace ltx {

at::Tensor fp8_decode(const at::Tensor& bytes, int32_t code) {
  auto table = at::empty({256}, at::kFloat);
  float* t = table.data_ptr<float>();
  for (int i = 0; i < 256; i++) t[i] = decode(static_cast<uint8_t>(i), code);
  table = table.to(bytes.device());
  return table.index_select(0, bytes.reshape({-1}).to(at::kLong)).view(bytes.sizes());
}

at::Tensor fp8_encode(const at::Tensor& x, int32_t code) {
  auto values = x.to(at::kCPU, at::kFloat).contiguous();
  auto out = at::empty(values.sizes(), at::kByte);
  const float* src = values.data_ptr<float>();
  uint8_t* dst = out.data_ptr<uint8_t>();
  const int64_t n = values.numel();
  at::parallel_for(0, n, 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++)
      dst[i] = code == LTX_DT_FLOAT8_E4M3FN ? encode_e4m3fn(src[i]) : encode_e5m2(src[i]);
  });
  return out.to(x.device());
}

}  // namespace ltx

extern "C" {

float ltx_fp8_to_float(uint8_t bits, int32_t dtype) { return decode(bits, dtype); }

uint8_t ltx_float_to_fp8(float value, int32_t dtype) {
  return dtype == LTX_DT_FLOAT8_E4M3FN ? encode_e4m3fn(value) : encode_e5m2(value);
}

}  // extern "C"
