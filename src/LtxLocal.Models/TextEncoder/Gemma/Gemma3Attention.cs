using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// Gemma 3 self-attention (HF Gemma3Attention): grouped-query heads, per-head q/k RMSNorm before RoPE,
/// scale <c>query_pre_attn_scalar^-0.5</c>, no biases; the grouped attention itself is <see cref="GemmaGroupedAttention"/>.
/// </summary>
public sealed class Gemma3Attention : GemmaSelfAttention
{
    private readonly Linear _q, _k, _v, _o;
    private readonly GemmaRmsNorm _qNorm, _kNorm;
    private readonly long _heads, _kvHeads, _headDim;
    private readonly double _scale;

    public Gemma3Attention(Gemma3Config config, ModuleOptions options)
    {
        _heads = config.NumHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        if (_heads % _kvHeads != 0)
            throw new Checkpoints.ModelConfigException($"num_attention_heads {_heads} is not a multiple of num_key_value_heads {_kvHeads}");
        _scale = 1.0 / Math.Sqrt(config.QueryPreAttnScalar);
        _q = RegisterModule("q_proj", new Linear(config.Tower.HiddenSize, _heads * _headDim, bias: false, options));
        _k = RegisterModule("k_proj", new Linear(config.Tower.HiddenSize, _kvHeads * _headDim, bias: false, options));
        _v = RegisterModule("v_proj", new Linear(config.Tower.HiddenSize, _kvHeads * _headDim, bias: false, options));
        _o = RegisterModule("o_proj", new Linear(_heads * _headDim, config.Tower.HiddenSize, bias: false, options));
        _qNorm = RegisterModule("q_norm", new GemmaRmsNorm(_headDim, config.Tower.RmsNormEps, options));
        _kNorm = RegisterModule("k_norm", new GemmaRmsNorm(_headDim, config.Tower.RmsNormEps, options));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache = null, int layer = 0)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = x.Size(0), t = x.Size(1);
        var queries = _qNorm.Forward(_q.Forward(x).View(b, t, _heads, _headDim)).Transpose(1, 2);   // [B, H, T, hd]
        var keys = _kNorm.Forward(_k.Forward(x).View(b, t, _kvHeads, _headDim)).Transpose(1, 2);    // [B, KV, T, hd]
        var values = _v.Forward(x).View(b, t, _kvHeads, _headDim).Transpose(1, 2);
        queries = GemmaRotary.Apply(queries, cos, sin);
        keys = GemmaRotary.Apply(keys, cos, sin);
        var merged = GemmaGroupedAttention.Attend(queries, keys, values, mask, _scale, cache, layer);   // [B, T, H * hd]
        return _o.Forward(merged).MoveToOuterScope();
    }
}
