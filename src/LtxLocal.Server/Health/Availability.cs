using LtxLocal.Inference;
using LtxLocal.Server.Jobs;
using LtxLocal.Inference.Models;

namespace LtxLocal.Server.Health;

/// <summary>
/// Whether a model can run here now, and if not, what the operator should do. One place answers
/// for /ready, /v1/models and the 503 of a submission, so the three never disagree.
/// </summary>
public sealed class Availability(
    IModelCatalog catalog, DeviceSelection devices, IEnumerable<IGeneratorFactory> factories, IHostApplicationLifetime lifetime)
{
    private readonly IGeneratorFactory? _factory = factories.FirstOrDefault();

    public IGeneratorFactory? Factory => _factory;

    public bool ShuttingDown => lifetime.ApplicationStopping.IsCancellationRequested;

    public string NoModelMessage =>
        $"no model is installed: put the LTX-2 weights in a folder under {catalog.ModelsDirectory} with an {ModelDirectoryCatalog.ManifestName} " +
        "manifest or the released files (see models/README.md), or create the tiny test model with `ltx-local models create-tiny --out models/tiny`";

    /// <summary>Null when jobs for <paramref name="model"/> can run; otherwise the reason, phrased as advice.</summary>
    public string? WhyNot(ModelDescriptor? model)
    {
        if (ShuttingDown) return "the server is shutting down; retry against another instance or after the restart";
        if (model is null) return NoModelMessage;
        if (_factory is null)
            return "this build has no inference backend (the LTX-2 pipelines are not part of it), so no model can run yet; " +
                   "install a build that includes LtxLocal.Inference's pipelines";
        if (_factory.Unavailable(model) is { } reason) return $"model '{model.Id}' cannot run: {reason}";
        if (devices.Devices.Count == 0) return devices.Problem ?? "no compute device is configured";
        return null;
    }
}
