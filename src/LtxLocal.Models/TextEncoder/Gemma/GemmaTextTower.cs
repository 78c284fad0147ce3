using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// A Gemma text tower (HF Gemma3TextModel, Gemma4UnifiedTextModel): scaled embeddings (multimodal placeholder ids
/// embedded as pad), sliding/full decoder layers each rotating its own head size with its own RoPE, final norm.
/// Hidden states as in <see cref="GemmaLayerStack"/>. A generation only supplies its <see cref="GemmaTowerShape"/>
/// and its attention.
/// </summary>
public abstract class GemmaTextTower : Module, IGemmaTextModel
{
    private readonly GemmaTowerShape _tower;
    private readonly Embedding _embed;
    private readonly ModuleList<GemmaDecoderLayer> _layers;
    private readonly GemmaRmsNorm _norm;

    /// <param name="attention">the self-attention of layer i</param>
    protected GemmaTextTower(GemmaTowerShape tower, Func<int, ModuleOptions, GemmaSelfAttention> attention, ModuleOptions? options)
    {
        options ??= ModuleOptions.Default;
        _tower = tower;
        _embed = RegisterModule("embed_tokens", new Embedding(tower.VocabSize, tower.HiddenSize, options));
        _layers = RegisterModule("layers", new ModuleList<GemmaDecoderLayer>(
            Enumerable.Range(0, tower.NumLayers).Select(i => new GemmaDecoderLayer(tower, attention(i, options), options))));
        _norm = RegisterModule("norm", new GemmaRmsNorm(tower.HiddenSize, tower.RmsNormEps, options, tower.NormGain));
    }

    public int HiddenSize => _tower.HiddenSize;
    public int NumLayers => _tower.NumLayers;
    public IReadOnlyList<int> EosTokenIds => _tower.EosTokenIds;
    public double? FinalLogitSoftcapping => _tower.FinalLogitSoftcapping;

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
        var ids = inputIds;
        foreach (var placeholder in _tower.MultimodalTokenIds) ids = ids.MaskedFill(ids.Eq(placeholder), _tower.PadTokenId);
        // HF: embed * float32(sqrt(hidden)) cast to the activation dtype (62.0 in bf16 for the 12B).
        var scale = Tensor.Scalar((float)Math.Sqrt(_tower.HiddenSize), dtype, inputIds.Device);
        var h = _embed.Forward(ids) * scale;                                                          // [B, T, hidden]

        // Positions are arange over the whole row, pads included (HF forward without position_ids).
        var positions = Tensor.Arange(past, past + t, 1, DType.Int64, inputIds.Device);
        using var fullMask = GemmaAttentionMask.Create(attentionMask, past, t, null, dtype);
        using var slidingMask = GemmaAttentionMask.Create(attentionMask, past, t, _tower.SlidingWindow, dtype);
        var (fullCos, fullSin) = GemmaRotary.Tables(_tower.Full.Rope, _tower.Full.HeadDim, positions, dtype);
        var (slideCos, slideSin) = GemmaRotary.Tables(_tower.Sliding.Rope, _tower.Sliding.HeadDim, positions, dtype);

        return GemmaLayerStack.Run(h, _layers.Count, (i, x) =>
        {
            bool sliding = _tower.SlidingLayers[i];
            return _layers[i].Forward(x, sliding ? slideCos : fullCos, sliding ? slideSin : fullSin, sliding ? slidingMask : fullMask, cache, i);
        }, _norm.Forward, outputHiddenStates);
    }
}
