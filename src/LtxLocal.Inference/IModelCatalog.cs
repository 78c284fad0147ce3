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
