using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// One Gemma decoder layer with sandwich norms (HF Gemma3DecoderLayer, Gemma4UnifiedTextDecoderLayer):
/// <c>h = x + post_attn_norm(attn(input_norm(x)))</c>, <c>out = h + post_ff_norm(mlp(pre_ff_norm(h)))</c>,
/// times the stored <c>layer_scalar</c> in Gemma 4. The norms' gain follows the generation (1 + w or w).
/// </summary>
public sealed class GemmaDecoderLayer : Module
{
    private readonly GemmaRmsNorm _inputNorm, _postAttentionNorm, _preFeedforwardNorm, _postFeedforwardNorm;
    private readonly GemmaSelfAttention _attention;
    private readonly GemmaMlp _mlp;
    private readonly TensorSlot? _layerScalar;

    public GemmaDecoderLayer(GemmaTowerShape tower, GemmaSelfAttention attention, ModuleOptions options)
    {
        long d = tower.HiddenSize;
        GemmaRmsNorm Norm() => new(d, tower.RmsNormEps, options, tower.NormGain);
        _attention = RegisterModule("self_attn", attention);
        _mlp = RegisterModule("mlp", new GemmaMlp(d, tower.IntermediateSize, options));
        _inputNorm = RegisterModule("input_layernorm", Norm());
        _postAttentionNorm = RegisterModule("post_attention_layernorm", Norm());
        _preFeedforwardNorm = RegisterModule("pre_feedforward_layernorm", Norm());
        _postFeedforwardNorm = RegisterModule("post_feedforward_layernorm", Norm());
        if (tower.LayerScalar) _layerScalar = AddBuffer("layer_scalar", NewTensor([1], options)); // persistent in the checkpoint
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache, int layer)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var attended = _attention.Forward(_inputNorm.Forward(x), cos, sin, mask, cache, layer);
        var h = x + _postAttentionNorm.Forward(attended);
        var fed = _mlp.Forward(_preFeedforwardNorm.Forward(h));
        h.Add_(_postFeedforwardNorm.Forward(fed));
        if (_layerScalar is not null) h.Mul_(_layerScalar.Value);
        return h.MoveToOuterScope();
    }
}
