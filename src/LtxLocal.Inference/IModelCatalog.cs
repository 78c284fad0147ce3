namespace LtxLocal.Inference;

/// <summary>
/// The models this installation can name. <see cref="Resolve"/> maps an id or an alias to a
/// model; the alias "Lightricks/LTX-2" always names <see cref="Default"/>. A model listed here
/// is installed (its files are on disk); whether it can run is the generator factory's answer.
/// </summary>
public interface IModelCatalog
{
    /// <summary>The alias that always names the default model, as the hosted API spells it.</summary>
    public const string DefaultAlias = "Lightricks/LTX-2";

    IReadOnlyList<ModelDescriptor> List();

    /// <summary>The default model, or null when none is installed.</summary>
    ModelDescriptor? Default { get; }

    /// <summary>Where weights are expected, for messages that tell the user how to install a model.</summary>
    string ModelsDirectory { get; }

    ModelDescriptor? Resolve(string idOrAlias);
}

/// <summary>
/// One installed model. Pipelines lists those it supports (distilled, one-stage, two-stage);
/// HasAudio says whether it produces a soundtrack; Enhancement whether (and with which system
/// prompts) it can rewrite prompts — null when the catalog does not know, which counts as "cannot". Kind is
/// <see cref="TinyKind"/> for the tiny test model (random weights), <see cref="FullKind"/> otherwise.
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
    string Kind = ModelDescriptor.FullKind)
{
    public const string FullKind = "full";
    public const string TinyKind = "tiny";

    /// <summary>What a user must know before looking at this model's output; null for real weights.</summary>
    public string? Notice => Kind == TinyKind ? "random weights: output is noise" : null;
}
