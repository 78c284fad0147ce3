using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Reduced-precision dtypes: round trips, rounding rules, float8 encodings and float8 data movement.
public class DTypeTests
{
    private static float Bits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    private static float[] RoundTrip(float[] values, DType dtype)
    {
        using var t = T(values, values.Length);
        using var low = t.To(dtype);
        Assert.Equal(dtype, low.DType);
        Assert.Equal(Current, low.Device);
        using var back = low.To(DType.Float32);
        return back.ToArray<float>();
    }

    [Fact]
    public void Exactly_representable_values_round_trip_through_bfloat16()
    {
        // 8 significant bits: 3.140625 = 0b11.001001, 65280 = 0xFF00, 2^-16; 0x00010000 is bfloat16's smallest subnormal (2^-133)
        var values = new[] { 0f, -0f, 1f, -2f, 0.5f, 3.140625f, 65280f, Bits(0x37800000), -Bits(0x00010000), float.PositiveInfinity };
        Assert.Equal(values, RoundTrip(values, DType.BFloat16));
    }

    [Fact]
    public void Exactly_representable_values_round_trip_through_float16()
    {
        // 11 significant bits, max 65504, smallest normal 2^-14, smallest subnormal 2^-24
        var values = new[] { 0f, 1f, -2f, 0.5f, 1.0009765625f, 65504f, -65504f, MathF.Pow(2, -14), MathF.Pow(2, -24), float.NegativeInfinity };
        Assert.Equal(values, RoundTrip(values, DType.Float16));
    }

    [Fact]
    public void BFloat16_rounds_to_nearest_even()
    {
        // bfloat16 spacing at 1 is 2^-7: 1 + 2^-8 is a tie -> 1 (even); 1 + 3*2^-8 is a tie -> 1 + 2^-6 (even mantissa 2);
        // just past the tie rounds up. torch 1.13 agrees: torch.tensor([...]).bfloat16().float()
        var input = new[] { 1 + 1f / 256, 1 + 3f / 256, 1 + 1f / 256 + MathF.Pow(2, -20), 3.0e38f, 3.4e38f, float.NaN };
        var expected = new[] { 1f, 1.015625f, 1.0078125f, 3.00405527e38f, float.PositiveInfinity, float.NaN };
        Close(expected, RoundTrip(input, DType.BFloat16), 0);
    }

    [Fact]
    public void Float16_rounds_to_nearest_even_and_overflows_to_infinity()
    {
        // float16 spacing at 1 is 2^-10. 65519 rounds down to 65504, 65520 (the tie past max) to inf;
        // 2^-25 is a tie between 0 and the smallest subnormal -> 0; 3*2^-26 rounds up to 2^-24.
        var input = new[] { 1 + MathF.Pow(2, -11), 1 + 3 * MathF.Pow(2, -11), 65519f, 65520f, MathF.Pow(2, -25), 3 * MathF.Pow(2, -26) };
        var expected = new[] { 1f, 1.001953125f, 65504f, float.PositiveInfinity, 0f, MathF.Pow(2, -24) };
        Close(expected, RoundTrip(input, DType.Float16), 0);
    }

    [Fact]
    public void Float16_and_CSharp_Half_agree()
    {
        var values = Values(64, 80).Select(v => v * 1000).ToArray();
        using var t = T(values, 64).To(DType.Float16);
        Assert.Equal(values.Select(v => (Half)v).ToArray(), t.ToArray<Half>());
    }

    // ---- float8 bit patterns ----

    public static TheoryData<float, byte> E4M3Encodings => new()
    {
        { 1f, 0x38 }, { -1f, 0xB8 }, { 448f, 0x7E }, { -448f, 0xFE }, { MathF.Pow(2, -9), 0x01 }, { MathF.Pow(2, -6), 0x08 },
        { 0f, 0x00 }, { -0f, 0x80 }, { 0.875f * MathF.Pow(2, -6), 0x07 }, { 2f, 0x40 }, { 0.5f, 0x30 }, { 240f, 0x77 },
        // overflow: no infinity in e4m3fn, >= 480 (half way past 448) is NaN; 464 is the tie 448|480 -> even 448
        { 480f, 0x7F }, { 1e6f, 0x7F }, { float.PositiveInfinity, 0x7F }, { -480f, 0xFF }, { 464f, 0x7E },
        // round to nearest even at ties: 1 + 1/16 is between 1 (m=0) and 1.125 (m=1); 1 + 3/16 between 1.125 and 1.25 (m=2)
        { 1.0625f, 0x38 }, { 1.1875f, 0x3A }, { 1.07f, 0x39 },
        // subnormal ties: 2^-10 between 0 and 2^-9 -> 0; 3*2^-10 between 1 and 2 (x 2^-9) -> 2
        { MathF.Pow(2, -10), 0x00 }, { 3 * MathF.Pow(2, -10), 0x02 }, { 1e-9f, 0x00 },
    };

    [Theory]
    [MemberData(nameof(E4M3Encodings))]
    public void FloatToFloat8_e4m3fn_known_encodings(float value, byte expected)
    {
        Assert.Equal(expected, TorchRuntime.FloatToFloat8(value, DType.Float8E4M3FN));
        // and the tensor conversion encodes the same way
        using var t = T(new[] { value }, 1).To(DType.Float8E4M3FN);
        Assert.Equal(new[] { expected }, t.ToBytes());
    }

    public static TheoryData<float, byte> E5M2Encodings => new()
    {
        { 1f, 0x3C }, { -1f, 0xBC }, { 57344f, 0x7B }, { MathF.Pow(2, -16), 0x01 }, { MathF.Pow(2, -14), 0x04 }, { 0f, 0x00 },
        { 1.5f, 0x3E }, { 0.75f, 0x3A },
        // overflow -> infinity 0x7C; 61440 is the tie 57344|65536 -> even (infinity)
        { 65536f, 0x7C }, { 61440f, 0x7C }, { 60000f, 0x7B }, { float.PositiveInfinity, 0x7C }, { float.NegativeInfinity, 0xFC }, { -1e9f, 0xFC },
        // ties: 1 + 1/8 between 1 (m=0) and 1.25 (m=1) -> 1; 1 + 3/8 between 1.25 and 1.5 (m=2) -> 1.5
        { 1.125f, 0x3C }, { 1.375f, 0x3E },
    };

    [Theory]
    [MemberData(nameof(E5M2Encodings))]
    public void FloatToFloat8_e5m2_known_encodings(float value, byte expected)
    {
        Assert.Equal(expected, TorchRuntime.FloatToFloat8(value, DType.Float8E5M2));
        using var t = T(new[] { value }, 1).To(DType.Float8E5M2);
        Assert.Equal(new[] { expected }, t.ToBytes());
    }

    [Fact]
    public void Float8_NaN_encodings()
    {
        float nan = Bits(0x7FC00000); // positive quiet NaN (C#'s float.NaN has the sign bit set)
        Assert.Equal(0x7F, TorchRuntime.FloatToFloat8(nan, DType.Float8E4M3FN));
        Assert.Equal(0x7F, TorchRuntime.FloatToFloat8(nan, DType.Float8E5M2));
        Assert.Equal(0xFF, TorchRuntime.FloatToFloat8(-nan, DType.Float8E4M3FN));
        Assert.True(float.IsNaN(TorchRuntime.Float8ToFloat(0x7F, DType.Float8E4M3FN)));
        Assert.True(float.IsNaN(TorchRuntime.Float8ToFloat(0xFF, DType.Float8E4M3FN)));
        Assert.Equal(float.PositiveInfinity, TorchRuntime.Float8ToFloat(0x7C, DType.Float8E5M2));
        Assert.Equal(float.NegativeInfinity, TorchRuntime.Float8ToFloat(0xFC, DType.Float8E5M2));
        foreach (byte b in new byte[] { 0x7D, 0x7E, 0x7F, 0xFD, 0xFE, 0xFF }) Assert.True(float.IsNaN(TorchRuntime.Float8ToFloat(b, DType.Float8E5M2)));
    }

    /// <summary>The value of a float8 byte from the format definition (sign, exponent bits, mantissa bits, bias).</summary>
    private static float Decode(byte b, int exponentBits, int mantissaBits)
    {
        int bias = (1 << (exponentBits - 1)) - 1;
        int e = (b >> mantissaBits) & ((1 << exponentBits) - 1), m = b & ((1 << mantissaBits) - 1);
        double v = e == 0 ? m * Math.Pow(2, 1 - bias - mantissaBits) : (1 + m / Math.Pow(2, mantissaBits)) * Math.Pow(2, e - bias);
        return (float)((b & 0x80) != 0 ? -v : v);
    }

    [Theory]
    [InlineData(DType.Float8E4M3FN, 4, 3)]
    [InlineData(DType.Float8E5M2, 5, 2)]
    public void All_256_float8_bytes_decode_by_definition_and_encode_back(DType format, int exponentBits, int mantissaBits)
    {
        for (int i = 0; i < 256; i++)
        {
            byte b = (byte)i;
            float v = TorchRuntime.Float8ToFloat(b, format);
            bool special = format == DType.Float8E4M3FN ? (b & 0x7F) == 0x7F : (b & 0x7C) == 0x7C;
            if (special)
            {
                Assert.True(float.IsNaN(v) || float.IsInfinity(v), $"0x{b:X2}");
                if (float.IsNaN(v)) continue; // NaN payloads collapse to 0x7F
            }
            else
            {
                Assert.Equal(Decode(b, exponentBits, mantissaBits), v);
            }
            Assert.Equal(b, TorchRuntime.FloatToFloat8(v, format));
        }
    }

    [Theory]
    [InlineData(DType.Float8E4M3FN)]
    [InlineData(DType.Float8E5M2)]
    public void Float8_tensor_conversions_agree_with_the_scalar_helpers(DType format)
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var bytes = On(Tensor.FromBytes(all, format, 16, 16));
        Assert.Equal(format, bytes.DType);
        using var decoded = bytes.To(DType.Float32);
        var values = decoded.ToArray<float>();
        for (int i = 0; i < 256; i++)
        {
            float expected = TorchRuntime.Float8ToFloat((byte)i, format);
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(values[i]));
            else Assert.Equal(expected, values[i]);
        }
        // encode: random floats through the tensor path equal the scalar path
        var x = Values(500, 81).Select((v, i) => v * MathF.Pow(2, i % 24 - 12)).ToArray();
        using var enc = T(x, 500).To(format);
        Assert.Equal(x.Select(v => TorchRuntime.FloatToFloat8(v, format)).ToArray(), enc.ToBytes());
        // float8 -> bfloat16 / float16 go through the same decoding
        using var bf = bytes.To(DType.BFloat16);
        using var bfBack = bf.To(DType.Float32);
        Close(values, bfBack.ToArray<float>(), 0); // float8 values are exact in bfloat16
    }

    [Fact]
    public void Float8_values_round_trip_exactly_and_others_round()
    {
        var exact = new[] { 1f, -2f, 0.5f, 448f, 0.01953125f, MathF.Pow(2, -9), 3.5f, -0.1015625f };
        Assert.Equal(exact, RoundTrip(exact, DType.Float8E4M3FN));
        var e5 = new[] { 1f, -2f, 57344f, MathF.Pow(2, -16), 0.75f, -3f };
        Assert.Equal(e5, RoundTrip(e5, DType.Float8E5M2));
        Assert.Equal(new[] { 1f, 1.25f }, RoundTrip(new[] { 1.0625f, 1.1875f }, DType.Float8E4M3FN));
        // float8 -> float8 of the other format converts the value
        using var a = T(new[] { 1.5f, -3f }, 2).To(DType.Float8E4M3FN);
        using var b = a.To(DType.Float8E5M2);
        Assert.Equal(DType.Float8E5M2, b.DType);
        Assert.Equal(new byte[] { 0x3E, 0xC2 }, b.ToBytes());
    }

    [Fact]
    public void Full_in_float8_stores_the_encoding()
    {
        using var t = Tensor.Full(new long[] { 3 }, 1.0, DType.Float8E4M3FN, Current);
        Assert.Equal(DType.Float8E4M3FN, t.DType);
        Assert.Equal(new byte[] { 0x38, 0x38, 0x38 }, t.ToBytes());
        using var z = Tensor.Zeros(new long[] { 2 }, DType.Float8E5M2, Current);
        Assert.Equal(new byte[] { 0, 0 }, z.ToBytes());
    }

    [Fact]
    public void Data_movement_on_float8_keeps_the_dtype_and_bytes()
    {
        var raw = Enumerable.Range(0, 24).Select(i => (byte)(i * 5)).ToArray();
        using var t = On(Tensor.FromBytes(raw, DType.Float8E4M3FN, 2, 3, 4));
        void Same(Tensor r, long[] shape, IEnumerable<byte> bytes)
        {
            Assert.Equal(DType.Float8E4M3FN, r.DType);
            Assert.Equal(shape, r.Shape);
            Assert.Equal(bytes.ToArray(), r.ToBytes());
            r.Dispose();
        }
        Same(t.Reshape(6, 4), new long[] { 6, 4 }, raw);
        Same(t.View(24), new long[] { 24 }, raw);
        Same(t.Narrow(2, 1, 2), new long[] { 2, 3, 2 }, Enumerable.Range(0, 6).SelectMany(r => new[] { raw[r * 4 + 1], raw[r * 4 + 2] }));
        Same(t.Select(0, 1), new long[] { 3, 4 }, raw.Skip(12));
        Same(Tensor.Cat(new[] { t, t }, 0), new long[] { 4, 3, 4 }, raw.Concat(raw));
        Same(Tensor.Stack(new[] { t, t }, 0), new long[] { 2, 2, 3, 4 }, raw.Concat(raw));
        Same(t.Flatten(), new long[] { 24 }, raw);
        Same(t.Clone(), new long[] { 2, 3, 4 }, raw);
        Same(t.Unsqueeze(0).Squeeze(0), new long[] { 2, 3, 4 }, raw);
        using var tr = t.Transpose(1, 2);
        Assert.Equal(DType.Float8E4M3FN, tr.DType);
        var transposed = new List<byte>();
        for (int b = 0; b < 2; b++) for (int k = 0; k < 4; k++) for (int j = 0; j < 3; j++) transposed.Add(raw[b * 12 + j * 4 + k]);
        Same(tr.Contiguous(), new long[] { 2, 4, 3 }, transposed);
        var parts = t.Split(new long[] { 1, 2 }, 1);
        Assert.All(parts, p => Assert.Equal(DType.Float8E4M3FN, p.DType));
        Assert.Equal(raw.Skip(4).Take(8).Concat(raw.Skip(16).Take(8)).ToArray(), parts[1].ToBytes());
        using var idx = L(new long[] { 1, 0 }, 2);
        Same(t.IndexSelect(0, idx), new long[] { 2, 3, 4 }, raw.Skip(12).Concat(raw.Take(12)));
        using var cpu = t.Cpu();
        Assert.Equal(DType.Float8E4M3FN, cpu.DType);
        Assert.Equal(raw, cpu.ToBytes());
    }

    [Fact]
    public void Math_on_float8_without_native_float8_is_a_clear_TorchException()
    {
        using var t = Tensor.Full(new long[] { 4 }, 2.0, DType.Float8E4M3FN, Current);
        if (TorchRuntime.Float8IsNative)
        {
            // libtorch with float8 dtypes: conversion works natively; the check below is for the emulation only
            using var f = t.To(DType.Float32);
            Assert.Equal(new[] { 2f, 2, 2, 2 }, F32(f));
            return;
        }
        var e = Assert.Throws<TorchException>(() => t.Add(1));
        Assert.Contains("float8", e.Message);
        Assert.Contains("To(dtype)", e.Message);
        Assert.Throws<TorchException>(() => t.Mul(t));
        Assert.Throws<TorchException>(() => t.Sum());
        Assert.Throws<TorchException>(() => t.Exp());
        Assert.Throws<TorchException>(() => t.Item());
        using var other = Tensor.Ones(new long[] { 4 }, device: Current);
        Assert.Throws<TorchException>(() => other.Copy_(t));
        Assert.Throws<TorchException>(() => Tensor.Cat(new[] { t, other }));
        var wrongType = Assert.Throws<InvalidOperationException>(() => t.ToArray<byte>());
        Assert.Contains("float8_e4m3fn", wrongType.Message);
    }

    [Fact]
    public void ScaledLinear_with_float8_weights_equals_Linear_with_decoded_weights()
    {
        var x = Values(3 * 8, 82);
        var w = Values(4 * 8, 83).Select(v => v * 2).ToArray();
        var bias = Values(4, 84);
        using var xt = T(x, 3, 8);
        using var w8 = T(w, 4, 8).To(DType.Float8E4M3FN);
        using var decoded = w8.To(DType.Float32);
        Assert.NotEqual(w, F32(decoded)); // float8 really rounded the weights
        using var scale = Tensor.Scalar(0.5, DType.Float32, Current);
        using var bt = T(bias, 4);
        using var y = F.ScaledLinear(xt, w8, scale, bt, DType.Float32);
        Assert.Equal(DType.Float32, y.DType);
        using var expected = F.Linear(xt, decoded.Mul(0.5), bt);
        Close(expected, y, 1e-5);
        // no scale, no bias
        using var y0 = F.ScaledLinear(xt, w8, null, null, DType.Float32);
        Close(LinalgTests.MatMul(x, Transposed(F32(decoded), 4, 8), 3, 8, 4), y0, new long[] { 3, 4 }, 1e-5);
        // per-output-channel weight scale [out, 1] and an input scale
        using var rowScale = T(new[] { 1f, 2, 0.25f, -1 }, 4, 1);
        using var inScale = Tensor.Scalar(3, DType.Float32, Current);
        using var y2 = F.ScaledLinear(xt, w8, rowScale, bt, DType.Float32, inScale);
        using var expected2 = F.Linear(xt.Mul(3), decoded.Mul(rowScale), bt);
        Close(expected2, y2, 1e-5);
    }

    [Fact]
    public void ScaledLinear_produces_the_requested_output_dtype()
    {
        var x = Values(2 * 8, 85);
        var w = Values(3 * 8, 86);
        using var xt = T(x, 2, 8).To(DType.BFloat16);
        using var w8 = T(w, 3, 8).To(DType.Float8E5M2);
        using var y = F.ScaledLinear(xt, w8, null, null, DType.BFloat16);
        Assert.Equal(DType.BFloat16, y.DType);
        using var ref32 = F.Linear(T(F32(xt), 2, 8), w8.To(DType.Float32));
        Close(F32(ref32), F32(y), 3e-2);
    }

    [Fact]
    public void Integer_and_bool_conversions_truncate_and_test_nonzero()
    {
        using var f = T(new[] { -1.7f, -0.2f, 0f, 0.9f, 2.5f }, 5);
        Assert.Equal(new long[] { -1, 0, 0, 0, 2 }, I64(f.To(DType.Int64)));
        Assert.Equal(new[] { true, true, false, true, true }, Bools(f.To(DType.Bool)));
        using var b = B(new[] { true, false }, 2);
        Assert.Equal(new[] { 1f, 0 }, F32(b.To(DType.Float32)));
        using var big = L(new long[] { 300, -1 }, 2).To(DType.UInt8); // wraps like a C cast
        Assert.Equal(new byte[] { 44, 255 }, big.ToArray<byte>());
    }

    [Fact]
    public void DType_metadata()
    {
        Assert.Equal(2, DType.BFloat16.ElementSize());
        Assert.Equal(1, DType.Float8E5M2.ElementSize());
        Assert.Equal(8, DType.Float64.ElementSize());
        Assert.True(DType.Float8E4M3FN.IsFloatingPoint());
        Assert.True(DType.Float8E4M3FN.IsFloat8());
        Assert.False(DType.BFloat16.IsFloat8());
        Assert.False(DType.Int32.IsFloatingPoint());
        Assert.Equal("float8_e4m3fn", DType.Float8E4M3FN.TorchName());
        Assert.Throws<ArgumentException>(() => DTypeExtensions.Parse("float7"));
    }
}
