using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 4 text tower of the LTX-2.5 encoder (HF Gemma4UnifiedTextModel, called through Gemma4UnifiedModel):
/// scaled embeddings (multimodal placeholder ids embedded as pad), sliding/full decoder layers with their own head
/// size and RoPE, final norm. Hidden states as in <see cref="GemmaLayerStack"/>.
/// </summary>
public sealed class Gemma4TextModel : Module, IGemmaTextModel
{
    private readonly Embedding _embed;
    private readonly ModuleList<Gemma4DecoderLayer> _layers;
    private readonly GemmaRmsNorm _norm;

    public Gemma4TextModel(Gemma4Config config, ModuleOptions? options = null)
    {
        options ??= ModuleOptions.Default;
        Config = config;
        _embed = RegisterModule("embed_tokens", new Embedding(config.VocabSize, config.HiddenSize, options));
        _layers = RegisterModule("layers", new ModuleList<Gemma4DecoderLayer>(
            Enumerable.Range(0, config.NumLayers).Select(i => new Gemma4DecoderLayer(config, i, options))));
        _norm = RegisterModule("norm", new GemmaRmsNorm(config.HiddenSize, config.RmsNormEps, options, GemmaNormGain.Weight));
    }

    public Gemma4Config Config { get; }

    public int HiddenSize => Config.HiddenSize;
    public int NumLayers => Config.NumLayers;
    public IReadOnlyList<int> EosTokenIds => Config.EosTokenIds;
    public double? FinalLogitSoftcapping => Config.FinalLogitSoftcapping;
    public Tensor EmbeddingWeight => _embed.Weight;

    public GemmaOutput Forward(Tensor inputIds, Tensor attentionMask, bool outputHiddenStates = true, GemmaKvCache? cache = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long past = cache?.Length ?? 0, t = inputIds.Size(1);
        var dtype = _embed.Weight.DType;
        var ids = inputIds;
        foreach (var placeholder in Config.MultimodalTokenIds) ids = ids.MaskedFill(ids.Eq(placeholder), Config.PadTokenId);
        // HF: embed * sqrt(hidden) cast to the weight dtype.
        var scale = Tensor.Scalar((float)Math.Sqrt(Config.HiddenSize), dtype, inputIds.Device);
        var h = _embed.Forward(ids) * scale;                                                          // [B, T, hidden]

        var positions = Tensor.Arange(past, past + t, 1, DType.Int64, inputIds.Device);
        using var fullMask = GemmaAttentionMask.Create(attentionMask, past, t, null, dtype);
        using var slidingMask = GemmaAttentionMask.Create(attentionMask, past, t, Config.SlidingWindow, dtype);
        // Each layer kind rotates its own head size: [T, head_dim] tables.
        var (fullCos, fullSin) = GemmaRotary.Tables(Config.FullRope, Config.FullShape.HeadDim, positions, dtype);
        var (slideCos, slideSin) = GemmaRotary.Tables(Config.SlidingRope, Config.SlidingShape.HeadDim, positions, dtype);

        return GemmaLayerStack.Run(h, _layers.Count, (i, x) =>
        {
            bool sliding = Config.SlidingLayers[i];
            return _layers[i].Forward(x, sliding ? slideCos : fullCos, sliding ? slideSin : fullSin, sliding ? slidingMask : fullMask, cache, i);
        }, _norm.Forward, outputHiddenStates);
    }
}
