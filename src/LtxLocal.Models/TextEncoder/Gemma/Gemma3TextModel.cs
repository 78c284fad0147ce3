using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 3 text tower (HF Gemma3TextModel, under <c>language_model.model.</c> in the released multimodal
/// checkpoint): scaled embeddings, sliding/full decoder layers with their own RoPE, final norm.
/// Hidden states follow HF: [0] the scaled embeddings, [i] the raw output of layer i-1, [L] the final-normed output.
/// </summary>
public sealed class Gemma3TextModel : Module, IGemmaTextModel
{
    private readonly Embedding _embed;
    private readonly ModuleList<Gemma3DecoderLayer> _layers;
    private readonly GemmaRmsNorm _norm;

    public Gemma3TextModel(Gemma3Config config, ModuleOptions? options = null)
    {
        options ??= ModuleOptions.Default;
        Config = config;
        _embed = RegisterModule("embed_tokens", new Embedding(config.VocabSize, config.HiddenSize, options));
        _layers = RegisterModule("layers", new ModuleList<Gemma3DecoderLayer>(
            Enumerable.Range(0, config.NumLayers).Select(_ => new Gemma3DecoderLayer(config, options))));
        _norm = RegisterModule("norm", new GemmaRmsNorm(config.HiddenSize, config.RmsNormEps, options));
    }

    public Gemma3Config Config { get; }

    public int HiddenSize => Config.HiddenSize;
    public int NumLayers => Config.NumLayers;
    public IReadOnlyList<int> EosTokenIds => Config.EosTokenIds;
    public double? FinalLogitSoftcapping => null;

    /// <summary>The (tied) embedding matrix [vocab, hidden]: also the output head for generation.</summary>
    public Tensor EmbeddingWeight => _embed.Weight;

    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, past + T], 1 = real token (left padding allowed)</param>
    /// <param name="cache">generation cache (positions continue after it), or null</param>
    public GemmaOutput Forward(Tensor inputIds, Tensor attentionMask, bool outputHiddenStates = true, GemmaKvCache? cache = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long past = cache?.Length ?? 0, t = inputIds.Size(1);
        var dtype = _embed.Weight.DType;
        // HF: embed * float32(sqrt(hidden)) cast to the activation dtype (62.0 in bf16 for the 12B).
        var scale = Tensor.Scalar((float)Math.Sqrt(Config.HiddenSize), dtype, inputIds.Device);
        var h = _embed.Forward(inputIds) * scale;                                                     // [B, T, hidden]

        // Positions are arange over the whole row, pads included (HF forward without position_ids).
        var positions = Tensor.Arange(past, past + t, 1, DType.Int64, inputIds.Device);
        using var fullMask = GemmaAttentionMask.Create(attentionMask, past, t, null, dtype);
        using var slidingMask = GemmaAttentionMask.Create(attentionMask, past, t, Config.SlidingWindow, dtype);
        var (fullCos, fullSin) = GemmaRotary.Tables(Config.FullRope, Config.HeadDim, positions, dtype);
        var (slideCos, slideSin) = GemmaRotary.Tables(Config.SlidingRope, Config.HeadDim, positions, dtype);

        return GemmaLayerStack.Run(h, _layers.Count, (i, x) =>
        {
            bool sliding = Config.SlidingLayers[i];
            return _layers[i].Forward(x, sliding ? slideCos : fullCos, sliding ? slideSin : fullSin, sliding ? slidingMask : fullMask, cache, i);
        }, _norm.Forward, outputHiddenStates);
    }
}
