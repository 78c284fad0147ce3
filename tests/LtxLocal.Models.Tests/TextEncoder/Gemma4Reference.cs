using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>
/// A deliberately plain re-reading of transformers' Gemma4UnifiedTextModel (eager attention, per-head loops, masks
/// and RoPE tables built element by element), independent of the product code's shared Gemma pieces.
/// </summary>
internal static class Gemma4Reference
{
    public static List<Tensor> HiddenStates(Gemma4TextModel model, Gemma4Config c, Tensor ids, Tensor mask)
    {
        var w = model.StateDict();
        long t = ids.Size(1);
        var keyMask = mask.ToArray<long>();
        var h = w["embed_tokens.weight"].IndexSelect(0, ids.Reshape(-1)).Reshape(1, t, -1) * Math.Sqrt(c.Tower.HiddenSize);
        var states = new List<Tensor> { h };
        for (int i = 0; i < c.Tower.NumLayers; i++)
        {
            Tensor P(string name) => w[$"layers.{i}.{name}"];
            var shape = c.ShapeOf(i);
            var rope = c.Tower.RopeOf(i);
            var (cos, sin) = Rope(rope, shape.HeadDim, t);
            var x = Norm(h, P("input_layernorm.weight"));
            var q = Norm(x.MatMul(P("self_attn.q_proj.weight").MT).Reshape(t, c.NumHeads, shape.HeadDim), P("self_attn.q_norm.weight"));
            var kRaw = x.MatMul(P("self_attn.k_proj.weight").MT).Reshape(t, shape.NumKeyValueHeads, shape.HeadDim);
            var vRaw = w.ContainsKey($"layers.{i}.self_attn.v_proj.weight")
                ? x.MatMul(P("self_attn.v_proj.weight").MT).Reshape(t, shape.NumKeyValueHeads, shape.HeadDim) : kRaw;
            var k = Norm(kRaw, P("self_attn.k_norm.weight"));
            var v = Norm(vRaw, null);
            var bias = Bias(keyMask, t, c.Tower.SlidingLayers[i] ? c.Tower.SlidingWindow : null);
            var heads = new List<Tensor>();
            for (int head = 0; head < c.NumHeads; head++)
            {
                int kvHead = head / (c.NumHeads / shape.NumKeyValueHeads);
                var qh = Rotate(q.Select(1, head), cos, sin);
                var kh = Rotate(k.Select(1, kvHead), cos, sin);
                var probs = (qh.MatMul(kh.MT) + bias).Softmax(-1);
                heads.Add(probs.MatMul(v.Select(1, kvHead)));
            }
            var attended = Tensor.Cat(heads, -1).MatMul(P("self_attn.o_proj.weight").MT).Unsqueeze(0);
            h = h + Norm(attended, P("post_attention_layernorm.weight"));
            var f = Norm(h, P("pre_feedforward_layernorm.weight"));
            var mlp = (f.MatMul(P("mlp.gate_proj.weight").MT).Gelu(true) * f.MatMul(P("mlp.up_proj.weight").MT)).MatMul(P("mlp.down_proj.weight").MT);
            h = (h + Norm(mlp, P("post_feedforward_layernorm.weight"))) * P("layer_scalar");
            states.Add(h);
        }
        states[^1] = Norm(h, w["norm.weight"]);
        return states;
    }

    private static Tensor Norm(Tensor x, Tensor? weight)
    {
        var normed = x * (x.Square().Mean(-1, keepDim: true) + 1e-6).Rsqrt();
        return weight is null ? normed : normed * weight;
    }

    /// <summary>transformers' default / proportional inverse frequencies, duplicated over both halves.</summary>
    private static (Tensor Cos, Tensor Sin) Rope(GemmaRope rope, int headDim, long t)
    {
        int half = headDim / 2, rotated = (int)(rope.RotatedFraction * headDim / 2);
        var cos = new float[t * headDim];
        var sin = new float[t * headDim];
        for (long p = 0; p < t; p++)
            for (int j = 0; j < half; j++)
            {
                double inv = j < rotated ? 1.0 / Math.Pow(rope.Theta, 2.0 * j / headDim) / rope.LinearFactor : 0;
                foreach (var col in new[] { j, j + half })
                {
                    cos[p * headDim + col] = (float)Math.Cos(p * inv);
                    sin[p * headDim + col] = (float)Math.Sin(p * inv);
                }
            }
        return (Tensor.From(cos, t, headDim), Tensor.From(sin, t, headDim));
    }

    private static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.Size(-1) / 2;
        return x * cos + Tensor.Cat([x.Narrow(-1, half, half).Neg(), x.Narrow(-1, 0, half)], -1) * sin;
    }

    /// <summary>Causal, key padding, and for sliding layers k &gt; q - window; masked scores get a large negative.</summary>
    private static Tensor Bias(long[] keyMask, long t, int? window)
    {
        var bias = new float[t * t];
        for (long q = 0; q < t; q++)
            for (long k = 0; k < t; k++)
            {
                bool allowed = k <= q && keyMask[k] != 0 && (window is not int wnd || k > q - wnd);
                bias[q * t + k] = allowed ? 0 : -1e9f;
            }
        return Tensor.From(bias, t, t);
    }
}
