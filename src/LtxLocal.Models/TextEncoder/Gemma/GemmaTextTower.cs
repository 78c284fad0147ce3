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
    /// <param name="attention">the self-attention of layer i</param>
    protected GemmaTextTower(GemmaTowerShape tower, Func<int, ModuleOptions, GemmaSelfAttention> attention, ModuleOptions? options)
    {
        var o = options ?? ModuleOptions.Default;
        Tower = tower;
        Embed = RegisterModule("embed_tokens", new Embedding(tower.VocabSize, tower.HiddenSize, o));
        Layers = RegisterModule("layers", new ModuleList<GemmaDecoderLayer>(
            Enumerable.Range(0, tower.NumLayers).Select(i => new GemmaDecoderLayer(tower, attention(i, o), o))));
        Norm = RegisterModule("norm", new GemmaRmsNorm(tower.HiddenSize, tower.RmsNormEps, o, tower.NormGain));
    }

    /// <summary>What this tower was built from.</summary>
    public GemmaTowerShape Tower { get; }

    private Embedding Embed { get; }
    private ModuleList<GemmaDecoderLayer> Layers { get; }
    private GemmaRmsNorm Norm { get; }

    public int HiddenSize => Tower.HiddenSize;
    public int NumLayers => Tower.NumLayers;
    public IReadOnlyList<int> EosTokenIds => Tower.EosTokenIds;
    public double? FinalLogitSoftcapping => Tower.FinalLogitSoftcapping;

    /// <summary>The (tied) embedding matrix [vocab, hidden]: also the output head for generation.</summary>
    public Tensor EmbeddingWeight => Embed.Weight;

    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, past + T], 1 = real token (left padding allowed)</param>
    /// <param name="cache">generation cache (positions continue after it), or null</param>
    public GemmaOutput Forward(Tensor inputIds, Tensor attentionMask, bool outputHiddenStates = true, GemmaKvCache? cache = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long past = cache?.Length ?? 0, t = inputIds.Size(1);
        var dtype = Embed.Weight.DType;
        var ids = inputIds;
        foreach (var placeholder in Tower.MultimodalTokenIds) ids = ids.MaskedFill(ids.Eq(placeholder), Tower.PadTokenId);
        // HF: embed * float32(sqrt(hidden)) cast to the activation dtype (62.0 in bf16 for the 12B).
        var scale = Tensor.Scalar((float)Math.Sqrt(Tower.HiddenSize), dtype, inputIds.Device);
        var h = Embed.Forward(ids) * scale;                                                          // [B, T, hidden]

        // Positions are arange over the whole row, pads included (HF forward without position_ids).
        var positions = Tensor.Arange(past, past + t, 1, DType.Int64, inputIds.Device);
        using var fullMask = GemmaAttentionMask.Create(attentionMask, past, t, null, dtype);
        using var slidingMask = GemmaAttentionMask.Create(attentionMask, past, t, Tower.SlidingWindow, dtype);
        var (fullCos, fullSin) = GemmaRotary.Tables(Tower.Full.Rope, Tower.Full.HeadDim, positions, dtype);
        var (slideCos, slideSin) = GemmaRotary.Tables(Tower.Sliding.Rope, Tower.Sliding.HeadDim, positions, dtype);

        return GemmaLayerStack.Run(h, Layers.Count, (i, x) =>
        {
            bool sliding = Tower.SlidingLayers[i];
            return Layers[i].Forward(x, sliding ? slideCos : fullCos, sliding ? slideSin : fullSin, sliding ? slidingMask : fullMask, cache, i);
        }, Norm.Forward, outputHiddenStates);
    }
}
