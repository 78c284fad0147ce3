using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// One Gemma 4 decoder layer (HF Gemma4UnifiedTextDecoderLayer): Gemma 3's sandwich norms with a plain-weight RMSNorm,
/// <c>h = x + post_attn_norm(attn(input_norm(x)))</c>, <c>out = (h + post_ff_norm(mlp(pre_ff_norm(h)))) * layer_scalar</c>.
/// </summary>
public sealed class Gemma4DecoderLayer : Module
{
    private readonly GemmaRmsNorm _inputNorm, _postAttentionNorm, _preFeedforwardNorm, _postFeedforwardNorm;
    private readonly Gemma4Attention _attention;
    private readonly GemmaMlp _mlp;
    private readonly TensorSlot _layerScalar;

    public Gemma4DecoderLayer(Gemma4Config config, int layer, ModuleOptions options)
    {
        long d = config.HiddenSize;
        GemmaRmsNorm Norm() => new(d, config.RmsNormEps, options, GemmaNormGain.Weight);
        _attention = RegisterModule("self_attn", new Gemma4Attention(config, layer, options));
        _mlp = RegisterModule("mlp", new GemmaMlp(d, config.IntermediateSize, options));
        _inputNorm = RegisterModule("input_layernorm", Norm());
        _postAttentionNorm = RegisterModule("post_attention_layernorm", Norm());
        _preFeedforwardNorm = RegisterModule("pre_feedforward_layernorm", Norm());
        _postFeedforwardNorm = RegisterModule("post_feedforward_layernorm", Norm());
        _layerScalar = AddBuffer("layer_scalar", NewTensor([1], options)); // persistent in the checkpoint
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache, int layer)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var attended = _attention.Forward(_inputNorm.Forward(x), cos, sin, mask, cache, layer);
        var h = x + _postAttentionNorm.Forward(attended);
        var fed = _mlp.Forward(_preFeedforwardNorm.Forward(h));
        return h.Add_(_postFeedforwardNorm.Forward(fed)).Mul_(_layerScalar.Value).MoveToOuterScope();
    }
}
