using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// One Gemma 3 decoder layer with sandwich norms (HF Gemma3DecoderLayer):
/// <c>h = x + post_attn_norm(attn(input_norm(x)))</c>, <c>out = h + post_ff_norm(mlp(pre_ff_norm(h)))</c>.
/// </summary>
public sealed class Gemma3DecoderLayer : Module
{
    private readonly GemmaRmsNorm _inputNorm, _postAttentionNorm, _preFeedforwardNorm, _postFeedforwardNorm;
    private readonly Gemma3Attention _attention;
    private readonly GemmaMlp _mlp;

    public Gemma3DecoderLayer(Gemma3Config config, ModuleOptions options)
    {
        long d = config.HiddenSize;
        _inputNorm = RegisterModule("input_layernorm", new GemmaRmsNorm(d, config.RmsNormEps, options));
        _attention = RegisterModule("self_attn", new Gemma3Attention(config, options));
        _postAttentionNorm = RegisterModule("post_attention_layernorm", new GemmaRmsNorm(d, config.RmsNormEps, options));
        _preFeedforwardNorm = RegisterModule("pre_feedforward_layernorm", new GemmaRmsNorm(d, config.RmsNormEps, options));
        _mlp = RegisterModule("mlp", new GemmaMlp(d, config.IntermediateSize, options));
        _postFeedforwardNorm = RegisterModule("post_feedforward_layernorm", new GemmaRmsNorm(d, config.RmsNormEps, options));
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache, int layer)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var attended = _attention.Forward(_inputNorm.Forward(x), cos, sin, mask, cache, layer);
        var h = x + _postAttentionNorm.Forward(attended);
        var fed = _mlp.Forward(_preFeedforwardNorm.Forward(h));
        return h.Add_(_postFeedforwardNorm.Forward(fed)).MoveToOuterScope();
    }
}
