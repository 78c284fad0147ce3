namespace LtxLocal.Inference;

/// <summary>
/// One installed model, as the catalog found it. Pipelines lists those its files can run (distilled, one-stage,
/// two-stage); HasAudio says whether it produces a soundtrack; Enhancement whether (and with which system prompts) it can
/// rewrite prompts — null when the catalog does not know, which counts as "cannot". ModelVersion is the files'
/// model_version (null: LTX-2, or not known), which picks the generation's defaults; Files where each component lives
/// (null for a folder described by its manifest alone); Problem why the folder cannot run, found once per change. Kind
/// is <see cref="TinyKind"/> for the tiny test model (random weights), <see cref="FullKind"/> otherwise. Loras are the
/// files of the folder's <c>loras/</c> a request may name, each checked against the transformer.
/// </summary>
public sealed record ModelDescriptor(
    string Id,
    string Directory,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Pipelines,
    bool HasAudio,
    bool IsDefault,
    string? Description,
    PromptEnhancement? Enhancement = null,
    Version? ModelVersion = null,
    Catalog.ModelFiles? Files = null,
    string? Problem = null,
    string Kind = ModelDescriptor.FullKind)
{
    public IReadOnlyList<Catalog.LoraFile> Loras { get; init; } = [];

    public const string FullKind = "full";
    public const string TinyKind = "tiny";

    /// <summary>What a user must know before looking at this model's output; null for real weights.</summary>
    public string? Notice => Kind == TinyKind ? "random weights: output is noise" : null;

    /// <summary>Which video decoder the files carry ("conv" or "diffusion"), or null when unknown.</summary>
    public string? VideoDecoder => Files?.VideoDecoderKind;
}
