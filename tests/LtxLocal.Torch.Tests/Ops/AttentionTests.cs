using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Softmax, embedding and scaled-dot-product attention against explicit C# computations.
public class AttentionTests
{
    private static float[] SoftmaxRows(float[] x, int row)
    {
        var y = new float[x.Length];
        for (int start = 0; start < x.Length; start += row)
        {
            double max = x.Skip(start).Take(row).Max();
            double sum = x.Skip(start).Take(row).Sum(v => Math.Exp(v - max));
            for (int i = 0; i < row; i++) y[start + i] = (float)(Math.Exp(x[start + i] - max) / sum);
        }
        return y;
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_equal_exp_over_sum_exp()
    {
        var x = Values(3 * 5, 60).Select(v => v * 4).ToArray();
        using var y = T(x, 3, 5).Softmax(-1);
        Close(SoftmaxRows(x, 5), y, new long[] { 3, 5 }, 1e-6);
        using var sums = y.Sum(-1);
        Close(new[] { 1f, 1, 1 }, sums, 1e-6);
        using var f = F.Softmax(T(x, 3, 5), 1);
        Close(F32(y), F32(f), 0);
    }

    [Fact]
    public void Softmax_over_dim_zero_and_on_large_values_stays_finite()
    {
        var x = Values(6, 61);
        using var y = T(x, 2, 3).Softmax(0);
        var cols = new float[6];
        for (int j = 0; j < 3; j++)
        {
            var s = SoftmaxRows(new[] { x[j], x[3 + j] }, 2);
            cols[j] = s[0];
            cols[3 + j] = s[1];
        }
        Close(cols, y, 1e-6);
        using var big = T(new[] { 1000f, 1001f, -1000f }, 3).Softmax(0);
        Close(SoftmaxRows(new[] { 1000f, 1001f, -1000f }, 3), big, 1e-6);
    }

    [Fact]
    public void LogSoftmax_is_x_minus_logsumexp()
    {
        var x = Values(2 * 4, 62).Select(v => v * 10).ToArray();
        using var y = T(x, 2, 4).LogSoftmax(1);
        Close(SoftmaxRows(x, 4).Select(v => (float)Math.Log(v)).ToArray(), y, new long[] { 2, 4 }, 1e-5);
        using var f = F.LogSoftmax(T(x, 2, 4), -1);
        Close(F32(y), F32(f), 0);
    }

    [Fact]
    public void Softmax_of_a_transposed_view()
    {
        var x = Values(12, 63);
        using var t = T(x, 4, 3).MT; // [3, 4]
        var rows = Transposed(x, 4, 3);
        Close(SoftmaxRows(rows, 4), t.Softmax(-1), 1e-6);
    }

    [Fact]
    public void Embedding_looks_up_rows_by_id()
    {
        using var weight = Seq(5, 3);
        using var ids = L(new long[] { 4, 0, 4, 2 }, 2, 2);
        using var e = F.Embedding(ids, weight);
        Assert.Equal(new long[] { 2, 2, 3 }, e.Shape);
        Assert.Equal(new[] { 12f, 13, 14, 0, 1, 2, 12, 13, 14, 6, 7, 8 }, F32(e));
        using var bad = L(new long[] { 5 }, 1);
        Assert.Throws<TorchException>(() => F.Embedding(bad, weight));
    }

    /// <summary>softmax(q kᵀ scale + bias) v per (batch) row in plain C#; keep[i, j] false masks; rows with nothing kept give 0.</summary>
    private static float[] Attention(float[] q, float[] k, float[] v, int batch, int lq, int lk, int e, int ev, double scale,
        Func<int, int, int, bool>? keep = null, Func<int, int, int, double>? bias = null)
    {
        var y = new float[batch * lq * ev];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < lq; i++)
            {
                var scores = new double[lk];
                var kept = new bool[lk];
                for (int j = 0; j < lk; j++)
                {
                    double s = 0;
                    for (int c = 0; c < e; c++) s += (double)q[(b * lq + i) * e + c] * k[(b * lk + j) * e + c];
                    scores[j] = s * scale + (bias?.Invoke(b, i, j) ?? 0);
                    kept[j] = (keep?.Invoke(b, i, j) ?? true) && !double.IsNegativeInfinity(scores[j]);
                }
                if (!kept.Any(x => x)) continue; // fully masked row: zeros
                double max = scores.Where((_, j) => kept[j]).Max();
                var p = scores.Select((s, j) => kept[j] ? Math.Exp(s - max) : 0).ToArray();
                double sum = p.Sum();
                for (int c = 0; c < ev; c++)
                    y[(b * lq + i) * ev + c] = (float)Enumerable.Range(0, lk).Sum(j => p[j] / sum * v[(b * lk + j) * ev + c]);
            }
        return y;
    }

    private const int Batch = 2, Lq = 3, Lk = 4, E = 5, Ev = 3;
    private static readonly float[] Q = Values(Batch * Lq * E, 70);
    private static readonly float[] K = Values(Batch * Lk * E, 71);
    private static readonly float[] Qs = Values(Batch * Lk * E, 77); // queries for square (causal) attention
    private static readonly float[] V = Values(Batch * Lk * Ev, 72);
    private static readonly double DefaultScale = 1 / Math.Sqrt(E);
    private static readonly long[] OutShape = { Batch, Lq, Ev };

    private static (Tensor Q, Tensor K, Tensor V) Qkv() => (T(Q, Batch, Lq, E), T(K, Batch, Lk, E), T(V, Batch, Lk, Ev));

    [Fact]
    public void Sdpa_without_mask_equals_explicit_softmax_attention()
    {
        var (q, k, v) = Qkv();
        using var y = F.ScaledDotProductAttention(q, k, v);
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale), y, OutShape, 1e-5);
        // and the same through the library's own MatMul/Softmax
        using var scores = q.MatMul(k.MT).Mul(DefaultScale);
        using var manual = scores.Softmax(-1).MatMul(v);
        Close(manual, y, 1e-5);
    }

    [Fact]
    public void Sdpa_with_a_custom_scale()
    {
        var (q, k, v) = Qkv();
        using var y = F.ScaledDotProductAttention(q, k, v, scale: 0.9);
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, 0.9), y, OutShape, 1e-5);
    }

    [Fact]
    public void Sdpa_with_a_bool_mask_attends_only_where_true()
    {
        var (q, k, v) = Qkv();
        // [Lq, Lk] broadcast over the batch
        var keep = new[] { true, false, true, false, false, true, true, true, true, false, false, false };
        using var mask = B(keep, Lq, Lk);
        using var y = F.ScaledDotProductAttention(q, k, v, mask);
        var expected = Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale, keep: (_, i, j) => keep[i * Lk + j]);
        Close(expected, y, OutShape, 1e-5);
        // row 2 of every batch keeps only key 0: its output is v[b, 0]
        var ys = F32(y);
        for (int b = 0; b < Batch; b++)
            for (int c = 0; c < Ev; c++)
                Assert.Equal(V[b * Lk * Ev + c], ys[(b * Lq + 2) * Ev + c], 5);
    }

    [Fact]
    public void Sdpa_with_a_per_batch_bool_mask()
    {
        var (q, k, v) = Qkv();
        // [B, 1, Lk]: key padding mask, batch 1 has only 2 valid keys
        var keep = new[] { true, true, true, true, true, true, false, false };
        using var mask = B(keep, Batch, 1, Lk);
        using var y = F.ScaledDotProductAttention(q, k, v, mask);
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale, keep: (b, _, j) => keep[b * Lk + j]), y, OutShape, 1e-5);
    }

    [Fact]
    public void Sdpa_with_an_additive_float_mask_adds_it_to_the_scores()
    {
        var (q, k, v) = Qkv();
        var bias = Values(Lq * Lk, 73).Select(b => b * 3).ToArray();
        bias[1] = float.NegativeInfinity;
        using var mask = T(bias, Lq, Lk);
        using var y = F.ScaledDotProductAttention(q, k, v, mask);
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale, bias: (_, i, j) => bias[i * Lk + j]), y, OutShape, 1e-5);
    }

    [Fact]
    public void Sdpa_causal_masks_future_keys()
    {
        using var q = T(Qs, Batch, Lk, E); // square: Lq = Lk
        using var k = T(K, Batch, Lk, E);
        using var v = T(V, Batch, Lk, Ev);
        using var y = F.ScaledDotProductAttention(q, k, v, isCausal: true);
        Close(Attention(Qs, K, V, Batch, Lk, Lk, E, Ev, DefaultScale, keep: (_, i, j) => j <= i), y, new long[] { Batch, Lk, Ev }, 1e-5);
        // the first query sees only the first key
        var ys = F32(y);
        Assert.Equal(V[0], ys[0], 5);
    }

    [Fact]
    public void Sdpa_causal_combined_with_a_bool_mask()
    {
        using var q = T(Qs, Batch, Lk, E);
        using var k = T(K, Batch, Lk, E);
        using var v = T(V, Batch, Lk, Ev);
        var keep = new[] { false, true, true, true };
        using var mask = B(keep, Lk);
        using var y = F.ScaledDotProductAttention(q, k, v, mask, isCausal: true);
        var expected = Attention(Qs, K, V, Batch, Lk, Lk, E, Ev, DefaultScale, keep: (_, i, j) => j <= i && keep[j]);
        Close(expected, y, 1e-5);
        // query 0 may attend to nothing (causal allows key 0, the mask forbids it): zeros, finite
        var ys = F32(y);
        Assert.Equal(new float[Ev], ys.Take(Ev).ToArray());
    }

    [Fact]
    public void Sdpa_fully_masked_rows_give_zeros_not_NaN()
    {
        var (q, k, v) = Qkv();
        var keep = new[] { true, true, false, true, false, false, false, false, true, true, true, true };
        using var mask = B(keep, Lq, Lk);
        using var y = F.ScaledDotProductAttention(q, k, v, mask);
        var ys = F32(y);
        Assert.All(ys, x => Assert.True(float.IsFinite(x)));
        for (int b = 0; b < Batch; b++) Assert.Equal(new float[Ev], ys.Skip((b * Lq + 1) * Ev).Take(Ev).ToArray());
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale, keep: (_, i, j) => keep[i * Lk + j]), ys, 1e-5);
        // an additive mask of -inf over a whole row too
        var bias = Enumerable.Repeat(0f, Lq * Lk).ToArray();
        for (int j = 0; j < Lk; j++) bias[Lk + j] = float.NegativeInfinity;
        using var additive = T(bias, Lq, Lk);
        using var ya = F.ScaledDotProductAttention(q, k, v, additive);
        var yas = F32(ya);
        Assert.All(yas, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(new float[Ev], yas.Skip(Ev).Take(Ev).ToArray());
    }

    [Fact]
    public void Sdpa_with_heads_and_a_transposed_layout()
    {
        // [B, L, H, E] transposed to [B, H, L, E] (non-contiguous), as attention layers do
        int b = 1, h = 2, l = 3, e = 4;
        var qv = Values(b * l * h * e, 74);
        var kv = Values(b * l * h * e, 75);
        var vv = Values(b * l * h * e, 76);
        using var q = T(qv, b, l, h, e).Transpose(1, 2);
        using var k = T(kv, b, l, h, e).Transpose(1, 2);
        using var v = T(vv, b, l, h, e).Transpose(1, 2);
        using var y = F.ScaledDotProductAttention(q, k, v);
        Assert.Equal(new long[] { b, h, l, e }, y.Shape);
        float[] Heads(float[] x) // [l, h, e] -> [h, l, e]
        {
            var r = new float[x.Length];
            for (int li = 0; li < l; li++) for (int hi = 0; hi < h; hi++) for (int c = 0; c < e; c++) r[(hi * l + li) * e + c] = x[(li * h + hi) * e + c];
            return r;
        }
        Close(Attention(Heads(qv), Heads(kv), Heads(vv), h, l, l, e, e, 1 / Math.Sqrt(e)), y, 1e-5);
    }

    [Fact]
    public void Sdpa_in_bfloat16_keeps_the_dtype()
    {
        var (q, k, v) = Qkv();
        using var y = F.ScaledDotProductAttention(q.To(DType.BFloat16), k.To(DType.BFloat16), v.To(DType.BFloat16));
        Assert.Equal(DType.BFloat16, y.DType);
        Close(Attention(Q, K, V, Batch, Lq, Lk, E, Ev, DefaultScale), F32(y), 3e-2);
    }
}
