using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class NormTests
{
    /// <summary>(v - mean) / sqrt(var_population + eps) over consecutive blocks of <paramref name="block"/> values.</summary>
    private static float[] NormalizeBlocks(float[] x, int block, double eps)
    {
        var y = new float[x.Length];
        for (int start = 0; start < x.Length; start += block)
        {
            var v = x.Skip(start).Take(block).Select(e => (double)e).ToArray();
            double mean = v.Average();
            double var = v.Sum(e => (e - mean) * (e - mean)) / block;
            for (int i = 0; i < block; i++) y[start + i] = (float)((v[i] - mean) / Math.Sqrt(var + eps));
        }
        return y;
    }

    [Fact]
    public void GroupNorm_normalizes_each_group_of_channels_then_applies_per_channel_affine()
    {
        // [B=2, C=6, H=2, W=3], 3 groups of 2 channels: each group is a contiguous block of 2*6 values
        int b = 2, c = 6, hw = 6, groups = 3;
        var x = Values(b * c * hw, 40).Select((v, i) => v * 3 + i % 5).ToArray();
        var w = Values(c, 41);
        var bias = Values(c, 42);
        var normed = NormalizeBlocks(x, c / groups * hw, 1e-5);
        using var plain = F.GroupNorm(T(x, b, c, 2, 3), groups);
        Close(normed, plain, new long[] { b, c, 2, 3 }, 1e-5);
        var expected = normed.Select((v, i) => v * w[i / hw % c] + bias[i / hw % c]).ToArray();
        using var affine = F.GroupNorm(T(x, b, c, 2, 3), groups, T(w, c), T(bias, c));
        Close(expected, affine, 1e-5);
    }

    [Fact]
    public void GroupNorm_works_on_5d_video_tensors_and_respects_eps()
    {
        int b = 1, c = 4, thw = 2 * 2 * 2;
        var x = Values(b * c * thw, 43);
        using var y = F.GroupNorm(T(x, b, c, 2, 2, 2), 2, eps: 0.5);
        Close(NormalizeBlocks(x, 2 * thw, 0.5), y, new long[] { 1, 4, 2, 2, 2 }, 1e-5);
    }

    [Fact]
    public void GroupNorm_with_channels_not_divisible_by_groups_throws()
    {
        using var x = Tensor.Zeros(new long[] { 1, 6, 2 }, device: Current);
        Assert.Throws<TorchException>(() => F.GroupNorm(x, 4));
    }

    [Fact]
    public void LayerNorm_over_the_last_dim_and_the_last_two_dims()
    {
        var x = Values(2 * 3 * 4, 44).Select((v, i) => v + i * 0.1f).ToArray();
        var w = Values(4, 45);
        var bias = Values(4, 46);
        using var last = F.LayerNorm(T(x, 2, 3, 4), new long[] { 4 }, T(w, 4), T(bias, 4));
        Close(NormalizeBlocks(x, 4, 1e-5).Select((v, i) => v * w[i % 4] + bias[i % 4]).ToArray(), last, new long[] { 2, 3, 4 }, 1e-5);
        using var two = F.LayerNorm(T(x, 2, 3, 4), new long[] { 3, 4 });
        Close(NormalizeBlocks(x, 12, 1e-5), two, new long[] { 2, 3, 4 }, 1e-5);
        using var eps = F.LayerNorm(T(x, 2, 3, 4), new long[] { 4 }, eps: 1e-1);
        Close(NormalizeBlocks(x, 4, 1e-1), eps, 1e-5);
    }

    [Fact]
    public void LayerNorm_on_a_non_contiguous_input()
    {
        var x = Values(12, 47);
        using var t = T(x, 4, 3).MT; // [3, 4]
        var rows = Transposed(x, 4, 3);
        using var y = F.LayerNorm(t, new long[] { 4 });
        Close(NormalizeBlocks(rows, 4, 1e-5), y, new long[] { 3, 4 }, 1e-5);
    }

    private static float[] Rms(float[] x, int last, double eps, float[]? w)
    {
        var y = new float[x.Length];
        for (int start = 0; start < x.Length; start += last)
        {
            double ms = x.Skip(start).Take(last).Sum(v => (double)v * v) / last;
            for (int i = 0; i < last; i++) y[start + i] = (float)(x[start + i] / Math.Sqrt(ms + eps) * (w?[i] ?? 1));
        }
        return y;
    }

    [Fact]
    public void RmsNorm_divides_by_the_root_mean_square_of_the_last_dim()
    {
        var x = Values(3 * 8, 48);
        var w = Values(8, 49);
        using var plain = F.RmsNorm(T(x, 3, 8));
        Close(Rms(x, 8, 1e-6, null), plain, new long[] { 3, 8 }, 1e-5);
        using var weighted = F.RmsNorm(T(x, 3, 8), T(w, 8), eps: 1e-2);
        Close(Rms(x, 8, 1e-2, w), weighted, new long[] { 3, 8 }, 1e-5);
    }

    [Fact]
    public void RmsNorm_in_bfloat16_keeps_the_dtype_and_is_accurate()
    {
        // values around 300: their squares lose most bits in bfloat16, but the statistic is computed in float32
        var x = Values(4 * 64, 50).Select(v => 300 + v).ToArray();
        using var xb = T(x, 4, 64).To(DType.BFloat16);
        var xr = F32(xb); // the bfloat16-rounded input
        using var y = F.RmsNorm(xb);
        Assert.Equal(DType.BFloat16, y.DType);
        Close(Rms(xr, 64, 1e-6, null), F32(y), 1e-2);
        using var wb = Tensor.Full(new long[] { 64 }, 2, DType.BFloat16, Current);
        using var yw = F.RmsNorm(xb, wb);
        Assert.Equal(DType.BFloat16, yw.DType);
        Close(Rms(xr, 64, 1e-6, null).Select(v => 2 * v).ToArray(), F32(yw), 1e-2);
    }
}
