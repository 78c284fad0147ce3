using LtxLocal.Inference;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// The lines a person starting the server reads first: which models it serves (the tiny test model flagged as
/// noise, in a warning, so nobody waits 100 s for a video and takes it for a bug), and on which devices.
/// Runs after <see cref="StartupService"/>, so the data directory and keys are already in place.
/// </summary>
public sealed class StartupBanner(IModelCatalog catalog, DeviceSelection devices, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var models = catalog.List();
        if (models.Count == 0) logger.LogWarning("No model under {ModelsDir}: generation requests get 503 until weights are added", catalog.ModelsDirectory);
        foreach (var model in models)
        {
            var role = model.IsDefault ? " (default)" : "";
            if (model.Notice is { } notice)
                logger.LogWarning("Model {Id}{Role} is the {Kind} model: {Notice}; real LTX-2 weights go in {ModelsDir}", model.Id, role, model.Kind, notice, catalog.ModelsDirectory);
            else
                logger.LogInformation("Model {Id}{Role}", model.Id, role);
        }
        if (devices.Devices.Count > 0) logger.LogInformation("Workers on {Devices}", string.Join(", ", devices.Devices));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
