using LtxLocal.Inference;
using LtxLocal.Inference.Catalog;

namespace LtxLocal.Server.Health;

/// <summary>
/// Whether a model can run here now, and if not, what the operator should do. One place answers for /ready, /metrics,
/// /v1/models and the 503 of a submission, so they never disagree. Cheap: the catalog already knows what each folder
/// can run, so no weight file is opened here.
/// </summary>
public sealed class Availability(
    IModelCatalog catalog, DeviceSelection devices, IEnumerable<IGeneratorFactory> factories, IHostApplicationLifetime lifetime)
{
    private readonly IGeneratorFactory? _factory = factories.FirstOrDefault();

    public bool ShuttingDown => lifetime.ApplicationStopping.IsCancellationRequested;

    public string NoModelMessage =>
        $"no model is installed: put the LTX-2 weights in a folder under {catalog.ModelsDirectory} with an {ModelDirectoryCatalog.ManifestName} " +
        "manifest or the released files (see models/README.md), or create the tiny test model with `ltx-local models create-tiny --out models/tiny`";

    private const string NoBackend =
        "this build has no inference backend (the LTX-2 pipelines are not part of it), so no model can run yet; " +
        "install a build that includes LtxLocal.Inference's pipelines";

    /// <summary>Null when jobs for <paramref name="model"/> can run; otherwise the reason, phrased as advice.</summary>
    public string? WhyNot(ModelDescriptor? model)
    {
        if (ShuttingDown) return "the server is shutting down; retry against another instance or after the restart";
        if (model is null) return NoModelMessage;
        if (_factory is null) return NoBackend;
        if (_factory.Unavailable(model) is { } reason) return $"model '{model.Id}' cannot run: {reason}";
        if (devices.Devices.Count == 0) return devices.Problem ?? "no compute device is configured";
        return null;
    }

    /// <summary>Whether an inference backend is registered at all, and if not, why no model can run.</summary>
    public string? WhyNoBackend => _factory is null ? NoBackend : null;
}
