using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class LinalgTests
{
    /// <summary>Row-major [m, k] x [k, n] in plain C#.</summary>
    internal static float[] MatMul(float[] a, float[] b, int m, int k, int n, int aOffset = 0, int bOffset = 0)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[aOffset + i * k + p] * b[bOffset + p * n + j];
                c[i * n + j] = (float)s;
            }
        return c;
    }

    [Fact]
    public void MatMul_of_matrices_matches_the_definition()
    {
        var a = Values(6, 1);
        var b = Values(12, 2);
        using var y = T(a, 2, 3).MatMul(T(b, 3, 4));
        Close(MatMul(a, b, 2, 3, 4), y, new long[] { 2, 4 });
    }

    [Fact]
    public void MatMul_of_hand_computed_2x2()
    {
        using var y = T(new[] { 1f, 2, 3, 4 }, 2, 2).MatMul(T(new[] { 5f, 6, 7, 8 }, 2, 2));
        Assert.Equal(new[] { 19f, 22, 43, 50 }, F32(y));
    }

    [Fact]
    public void MatMul_batched_and_broadcast_over_the_batch()
    {
        var a = Values(2 * 3 * 4, 3);
        var b = Values(4 * 5, 4);
        using var y = T(a, 2, 3, 4).MatMul(T(b, 4, 5)); // [2,3,4] @ [4,5] broadcasts b
        Close(MatMul(a, b, 3, 4, 5).Concat(MatMul(a, b, 3, 4, 5, aOffset: 12)).ToArray(), y, new long[] { 2, 3, 5 });
        var c = Values(3 * 4 * 5, 5);
        using var z = T(a, 2, 1, 3, 4).MatMul(T(c, 3, 4, 5)); // [2,1,3,4] @ [3,4,5] -> [2,3,3,5]
        Assert.Equal(new long[] { 2, 3, 3, 5 }, z.Shape);
        var expected = new List<float>();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                expected.AddRange(MatMul(a, c, 3, 4, 5, aOffset: i * 12, bOffset: j * 20));
        Close(expected.ToArray(), z, 1e-5);
    }

    [Fact]
    public void MatMul_with_vectors()
    {
        using var m = T(new[] { 1f, 2, 3, 4, 5, 6 }, 2, 3);
        using var v = T(new[] { 1f, 0, -1 }, 3);
        using var mv = m.MatMul(v);
        Assert.Equal(new long[] { 2 }, mv.Shape);
        Assert.Equal(new[] { -2f, -2 }, F32(mv));
        using var dot = v.MatMul(v);
        Assert.Empty(dot.Shape);
        Assert.Equal(2.0, dot.Item());
    }

    [Fact]
    public void MatMul_on_transposed_views_equals_the_transposed_definition()
    {
        var a = Values(12, 6);
        var b = Values(12, 7);
        using var at = T(a, 4, 3).MT; // [3, 4], non-contiguous
        using var bt = T(b, 3, 4).MT; // [4, 3]
        using var y = at.MatMul(bt);
        Close(MatMul(Transposed(a, 4, 3), Transposed(b, 3, 4), 3, 4, 3), y, new long[] { 3, 3 });
    }

    [Fact]
    public void Bmm_multiplies_matching_batches()
    {
        var a = Values(2 * 2 * 3, 8);
        var b = Values(2 * 3 * 2, 9);
        using var y = T(a, 2, 2, 3).Bmm(T(b, 2, 3, 2));
        Close(MatMul(a, b, 2, 3, 2).Concat(MatMul(a, b, 2, 3, 2, 6, 6)).ToArray(), y, new long[] { 2, 2, 2 });
        // bmm does not broadcast
        Assert.Throws<TorchException>(() => T(a, 2, 2, 3).Bmm(T(b.Take(6).ToArray(), 1, 3, 2)));
    }

    [Fact]
    public void BAddBmm_is_beta_self_plus_alpha_batched_product()
    {
        var a = Values(2 * 2 * 3, 10);
        var b = Values(2 * 3 * 2, 11);
        var s = Values(2 * 2 * 2, 12);
        using var y = T(s, 2, 2, 2).BAddBmm(T(a, 2, 2, 3), T(b, 2, 3, 2), beta: 0.5, alpha: 2);
        var prod = MatMul(a, b, 2, 3, 2).Concat(MatMul(a, b, 2, 3, 2, 6, 6)).ToArray();
        Close(prod.Select((p, i) => 0.5f * s[i] + 2 * p).ToArray(), y, new long[] { 2, 2, 2 });
        using var d = T(s, 2, 2, 2).BAddBmm(T(a, 2, 2, 3), T(b, 2, 3, 2));
        Close(prod.Select((p, i) => s[i] + p).ToArray(), d, new long[] { 2, 2, 2 });
    }

    [Fact]
    public void Linear_is_x_times_weight_transposed_plus_bias()
    {
        var x = Values(2 * 3 * 4, 13);
        var w = Values(5 * 4, 14); // [out 5, in 4]
        var bias = Values(5, 15);
        var expected = MatMul(x, Transposed(w, 5, 4), 6, 4, 5);
        using var noBias = F.Linear(T(x, 2, 3, 4), T(w, 5, 4));
        Close(expected, noBias, new long[] { 2, 3, 5 });
        using var withBias = F.Linear(T(x, 2, 3, 4), T(w, 5, 4), T(bias, 5));
        Close(expected.Select((v, i) => v + bias[i % 5]).ToArray(), withBias, new long[] { 2, 3, 5 });
    }

    [Fact]
    public void Linear_in_bfloat16_is_close_to_float32()
    {
        var x = Values(8 * 16, 16);
        var w = Values(4 * 16, 17);
        using var y = F.Linear(T(x, 8, 16).To(DType.BFloat16), T(w, 4, 16).To(DType.BFloat16));
        Assert.Equal(DType.BFloat16, y.DType);
        Close(MatMul(x, Transposed(w, 4, 16), 8, 16, 4), F32(y), 3e-2);
    }
}
