using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class CreationTests
{
    private static readonly Device Dev = Current;

    [Fact]
    public void Empty_has_shape_dtype_and_device()
    {
        using var t = Tensor.Empty(new long[] { 2, 3, 4 }, DType.Float16, Dev);
        Assert.Equal(new long[] { 2, 3, 4 }, t.Shape);
        Assert.Equal(DType.Float16, t.DType);
        Assert.Equal(Dev, t.Device);
        Assert.Equal(24, t.Numel);
        Assert.Equal(3, t.Dim);
        Assert.Equal(2, t.ElementSize);
        Assert.True(t.IsContiguous);
        Assert.Equal(new long[] { 12, 4, 1 }, t.Strides);
    }

    [Fact]
    public void Zeros_ones_and_full_fill_every_element()
    {
        using var z = Tensor.Zeros(new long[] { 2, 3 }, device: Dev);
        using var o = Tensor.Ones(new long[] { 2, 3 }, DType.Int64, Dev);
        using var f = Tensor.Full(new long[] { 4 }, -2.5, DType.Float64, Dev);
        Assert.Equal(new float[6], F32(z));
        Assert.Equal(Enumerable.Repeat(1L, 6), I64(o));
        Assert.Equal(new[] { -2.5, -2.5, -2.5, -2.5 }, f.ToArray<double>());
        Assert.Equal(DType.Float64, f.DType);
    }

    [Fact]
    public void Like_constructors_copy_shape_dtype_and_device()
    {
        using var x = Tensor.Empty(new long[] { 3, 1 }, DType.Int32, Dev);
        using var z = Tensor.ZerosLike(x);
        using var o = Tensor.OnesLike(x);
        using var f = Tensor.FullLike(x, 7);
        foreach (var t in new[] { z, o, f })
        {
            Assert.Equal(new long[] { 3, 1 }, t.Shape);
            Assert.Equal(DType.Int32, t.DType);
            Assert.Equal(Dev, t.Device);
        }
        Assert.Equal(new[] { 0, 0, 0 }, z.ToArray<int>());
        Assert.Equal(new[] { 1, 1, 1 }, o.ToArray<int>());
        Assert.Equal(new[] { 7, 7, 7 }, f.ToArray<int>());
    }

    [Fact]
    public void Scalar_is_zero_dim_and_Item_reads_it()
    {
        using var s = Tensor.Scalar(3.25, DType.Float32, Dev);
        Assert.Empty(s.Shape);
        Assert.Equal(0, s.Dim);
        Assert.Equal(1, s.Numel);
        Assert.Equal(3.25, s.Item());
        Assert.Equal(3.25f, s.Item<float>());
        using var i = Tensor.Scalar(-7, DType.Int64, Dev);
        Assert.Equal(-7L, i.Item<long>());
    }

    [Fact]
    public void Item_of_a_multi_element_tensor_throws_TorchException()
    {
        using var t = Tensor.Ones(new long[] { 2 }, device: Dev);
        Assert.Throws<TorchException>(() => t.Item());
    }

    [Fact]
    public void Arange_counts_in_steps_with_the_requested_dtype()
    {
        using var a = Tensor.Arange(5, device: Dev);
        Assert.Equal(DType.Int64, a.DType);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, I64(a));
        using var down = Tensor.Arange(5, 0, -2, device: Dev);
        Assert.Equal(new long[] { 5, 3, 1 }, I64(down));
        using var f = Tensor.Arange(0, 1, 0.25, DType.Float32, Dev);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f }, F32(f));
        // torch 1.13: torch.arange(0.0, 1.0, 0.3) -> 4 elements (ceil((end - start) / step))
        using var g = Tensor.Arange(0, 1, 0.3, DType.Float32, Dev);
        Close(new[] { 0f, 0.3f, 0.6f, 0.9f }, g, new long[] { 4 });
    }

    [Fact]
    public void Linspace_includes_both_ends()
    {
        using var l = Tensor.Linspace(0, 1, 5, device: Dev);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, F32(l));
        using var m = Tensor.Linspace(-1, 1, 4, device: Dev);
        Close(new[] { -1f, -1f / 3, 1f / 3, 1f }, m, new long[] { 4 }, 1e-6);
        using var one = Tensor.Linspace(2, 9, 1, device: Dev);
        Assert.Equal(new[] { 2f }, F32(one));
    }

    [Fact]
    public void From_and_ToArray_round_trip_every_CSharp_element_type()
    {
        RoundTrip(new[] { 1.5f, -0f, float.MaxValue, float.Epsilon, float.NaN, float.NegativeInfinity }, DType.Float32);
        RoundTrip(new[] { Math.PI, -1e300, double.Epsilon }, DType.Float64);
        RoundTrip(new[] { long.MinValue, -1L, 0, long.MaxValue }, DType.Int64);
        RoundTrip(new[] { int.MinValue, 5, int.MaxValue }, DType.Int32);
        RoundTrip(new short[] { short.MinValue, 3, short.MaxValue }, DType.Int16);
        RoundTrip(new sbyte[] { sbyte.MinValue, -1, sbyte.MaxValue }, DType.Int8);
        RoundTrip(new byte[] { 0, 128, 255 }, DType.UInt8);
        RoundTrip(new[] { true, false, true }, DType.Bool);
        RoundTrip(new[] { (Half)1.5, (Half)(-65504), Half.Epsilon }, DType.Float16);
    }

    private static void RoundTrip<T>(T[] values, DType dtype) where T : unmanaged
    {
        using var cpu = Tensor.From(values);
        Assert.Equal(dtype, cpu.DType);
        Assert.Equal(new long[] { values.Length }, cpu.Shape);
        using var t = cpu.To(Dev);
        Assert.Equal(values, t.ToArray<T>());
        using var back = t.Cpu();
        Assert.Equal(Device.Cpu, back.Device);
        Assert.Equal(values, back.ToArray<T>());
    }

    [Fact]
    public void From_with_a_shape_lays_values_out_row_major()
    {
        using var t = T(new[] { 1f, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new long[] { 2, 3 }, t.Shape);
        using var row = t.Select(0, 1);
        Assert.Equal(new[] { 4f, 5, 6 }, F32(row));
    }

    [Fact]
    public void From_rejects_a_shape_that_does_not_match_the_data()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1f, 2, 3 }, 2, 2));
        Assert.Contains("3 values", e.Message);
        Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1f }, -1));
    }

    [Fact]
    public void From_without_shape_is_one_dimensional_like_torch_tensor_of_a_list()
    {
        using var t = Tensor.From(new[] { 4f });
        Assert.Equal(new long[] { 1 }, t.Shape);
        Assert.Equal(4.0, t.Item());
        using var scalar = Tensor.Scalar(4);
        Assert.Empty(scalar.Shape);
    }

    [Fact]
    public void Item_reads_large_integers_exactly()
    {
        const long big = (1L << 53) + 1; // not representable as a double
        using var t = Tensor.From(new[] { big });
        Assert.Equal(big, t.Item<long>());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Float8E4M3FN)]
    [InlineData(DType.Float8E5M2)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int16)]
    [InlineData(DType.Int8)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void FromBytes_and_ToBytes_round_trip(DType dtype)
    {
        int size = dtype.ElementSize();
        var bytes = new byte[6 * size];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(dtype == DType.Bool ? i % 2 : (i * 37 + 11) % 120);
        using var cpu = Tensor.FromBytes(bytes, dtype, 2, 3);
        Assert.Equal(dtype, cpu.DType);
        Assert.Equal(new long[] { 2, 3 }, cpu.Shape);
        Assert.Equal(size, cpu.ElementSize);
        using var t = cpu.To(Dev);
        Assert.Equal(dtype, t.DType);
        Assert.Equal(bytes, t.ToBytes());
    }

    [Fact]
    public void FromBytes_rejects_a_wrong_byte_count()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromBytes(new byte[5], DType.BFloat16, 3));
        Assert.Contains("bfloat16", e.Message);
    }

    [Fact]
    public void BFloat16_bytes_are_the_upper_half_of_float32()
    {
        // Exactly representable in bfloat16, so the conversion truncates nothing.
        var values = new[] { 1.5f, -2.25f, 3f, 0f };
        using var t = T(values, 4);
        using var bf = t.To(DType.BFloat16);
        var bytes = bf.ToBytes();
        for (int i = 0; i < values.Length; i++)
        {
            ushort expected = (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16);
            Assert.Equal(expected, BitConverter.ToUInt16(bytes, 2 * i));
        }
        using var back = Tensor.FromBytes(bytes, DType.BFloat16, 4).To(DType.Float32);
        Assert.Equal(values, back.ToArray<float>());
    }

    [Fact]
    public void ToStringWithValues_prints_the_values()
    {
        using var t = T(new[] { 1.5f, 2.5f }, 2);
        var text = t.ToStringWithValues();
        Assert.Contains("1.5", text);
        Assert.Contains("2.5", text);
        Assert.Equal($"Tensor([2], float32, {Dev})", t.ToString());
    }

    [Fact]
    public void Clone_is_a_deep_copy_and_Alias_shares_storage()
    {
        using var t = T(new[] { 1f, 2, 3 }, 3);
        using var clone = t.Clone();
        using var alias = t.Alias();
        t.Add_(10);
        Assert.Equal(new[] { 1f, 2, 3 }, F32(clone));
        Assert.Equal(new[] { 11f, 12, 13 }, F32(alias));
        alias.Dispose();
        Assert.Equal(new[] { 11f, 12, 13 }, F32(t)); // disposing one handle leaves the other
    }

    [Fact]
    public void Copy_converts_and_broadcasts_into_the_destination()
    {
        using var dst = Tensor.Zeros(new long[] { 2, 3 }, DType.Float64, Dev);
        using var src = L(new long[] { 1, 2, 3 }, 3);
        dst.Copy_(src);
        Assert.Equal(new[] { 1.0, 2, 3, 1, 2, 3 }, dst.ToArray<double>());
    }

    [Fact]
    public void To_the_same_dtype_and_device_keeps_the_values()
    {
        using var t = T(new[] { 1f, 2 }, 2);
        using var same = t.To(DType.Float32);
        using var copy = t.To(Dev, DType.Float32, copy: true);
        t.Mul_(3);
        Assert.Equal(new[] { 3f, 6 }, F32(same)); // no copy: same storage, like PyTorch
        Assert.Equal(new[] { 1f, 2 }, F32(copy));
    }

    [Theory]
    [InlineData("cpu", DeviceType.Cpu, 0)]
    [InlineData(" CUDA ", DeviceType.Cuda, 0)]
    [InlineData("cuda:3", DeviceType.Cuda, 3)]
    public void Device_Parse_reads_torch_device_names(string text, DeviceType type, int index)
    {
        Assert.Equal(new Device(type, index), Device.Parse(text));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void Device_Parse_rejects_unknown_names(string text)
    {
        Assert.Throws<ArgumentException>(() => Device.Parse(text));
    }

    [Theory]
    [InlineData("bf16", DType.BFloat16)]
    [InlineData("float16", DType.Float16)]
    [InlineData("fp8", DType.Float8E4M3FN)]
    [InlineData("f8_e5m2", DType.Float8E5M2)]
    [InlineData(" Float32 ", DType.Float32)]
    [InlineData("long", DType.Int64)]
    public void DType_Parse_reads_torch_names(string text, DType expected)
    {
        Assert.Equal(expected, DTypeExtensions.Parse(text));
        Assert.Equal(expected, DTypeExtensions.Parse(expected.TorchName()));
    }
}
