using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// Gemma 4 self-attention (HF Gemma4UnifiedTextAttention): grouped-query heads whose size and kv-head count depend on
/// the layer kind, q/k RMSNorm with a plain weight and a weightless v RMSNorm, RoPE on q/k, scale 1 (the norms set
/// the logit scale), no biases. Full layers with attention_k_eq_v have no v_proj: values are the raw key projection.
/// </summary>
public sealed class Gemma4Attention : GemmaSelfAttention
{
    private readonly Linear _q, _k, _o;
    private readonly Linear? _v;
    private readonly GemmaRmsNorm _qNorm, _kNorm, _vNorm;
    private readonly long _heads, _kvHeads, _headDim;

    public Gemma4Attention(Gemma4Config config, int layer, ModuleOptions options)
    {
        var shape = config.ShapeOf(layer);
        _heads = config.NumHeads;
        _kvHeads = shape.NumKeyValueHeads;
        _headDim = shape.HeadDim;
        if (_heads % _kvHeads != 0)
            throw new Checkpoints.ModelConfigException($"num_attention_heads {_heads} is not a multiple of {_kvHeads} key/value heads (layer {layer})");
        bool valuesAreKeys = config.AttentionKEqV && !config.Tower.SlidingLayers[layer];
        _q = RegisterModule("q_proj", new Linear(config.Tower.HiddenSize, _heads * _headDim, bias: false, options));
        _qNorm = RegisterModule("q_norm", new GemmaRmsNorm(_headDim, config.Tower.RmsNormEps, options, GemmaNormGain.Weight));
        _kNorm = RegisterModule("k_norm", new GemmaRmsNorm(_headDim, config.Tower.RmsNormEps, options, GemmaNormGain.Weight));
        _vNorm = RegisterModule("v_norm", new GemmaRmsNorm(_headDim, config.Tower.RmsNormEps, options, GemmaNormGain.None));
        _k = RegisterModule("k_proj", new Linear(config.Tower.HiddenSize, _kvHeads * _headDim, bias: false, options));
        if (!valuesAreKeys) _v = RegisterModule("v_proj", new Linear(config.Tower.HiddenSize, _kvHeads * _headDim, bias: false, options));
        _o = RegisterModule("o_proj", new Linear(_heads * _headDim, config.Tower.HiddenSize, bias: false, options));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache = null, int layer = 0)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = x.Size(0), t = x.Size(1);
        var queries = _qNorm.Forward(_q.Forward(x).View(b, t, _heads, _headDim)).Transpose(1, 2);   // [B, H, T, hd]
        var rawKeys = _k.Forward(x).View(b, t, _kvHeads, _headDim);                                  // [B, T, KV, hd]
        var rawValues = _v is null ? rawKeys : _v.Forward(x).View(b, t, _kvHeads, _headDim);
        var keys = _kNorm.Forward(rawKeys).Transpose(1, 2);                                           // [B, KV, T, hd]
        var values = _vNorm.Forward(rawValues).Transpose(1, 2);
        queries = GemmaRotary.Apply(queries, cos, sin);
        keys = GemmaRotary.Apply(keys, cos, sin);
        var merged = GemmaGroupedAttention.Attend(queries, keys, values, mask, 1.0, cache, layer);     // [B, T, H * hd]
        return _o.Forward(merged).MoveToOuterScope();
    }
}
