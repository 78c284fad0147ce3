namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// What a Gemma text tower is built and run from, whichever generation's config it comes from: sizes, the norm gain,
/// the sliding/full layer kinds with their RoPE and head size, the ids embedded as pad, and whether each layer
/// scales its output by a stored <c>layer_scalar</c> (Gemma 4).
/// </summary>
public sealed record GemmaTowerShape(
    int VocabSize,
    int HiddenSize,
    int IntermediateSize,
    double RmsNormEps,
    GemmaNormGain NormGain,
    bool LayerScalar,
    int SlidingWindow,
    IReadOnlyList<bool> SlidingLayers,
    (GemmaRope Rope, int HeadDim) Full,
    (GemmaRope Rope, int HeadDim) Sliding,
    int PadTokenId,
    IReadOnlyList<int> MultimodalTokenIds,
    IReadOnlyList<int> EosTokenIds,
    double? FinalLogitSoftcapping)
{
    public int NumLayers => SlidingLayers.Count;

    public GemmaRope RopeOf(int layer) => SlidingLayers[layer] ? Sliding.Rope : Full.Rope;
}
