using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A worker's current generator: kept while consecutive jobs use the same model (weights stay
/// loaded), disposed when a job for another model arrives.
/// </summary>
public sealed class GeneratorCache : IDisposable
{
    private string? _modelId;
    private IVideoGenerator? _generator;

    public IVideoGenerator Get(IGeneratorFactory factory, ModelDescriptor model, ComputeDevice device)
    {
        if (_generator is not null && _modelId == model.Id) return _generator;
        Dispose();
        _generator = factory.Create(model, device);
        _modelId = model.Id;
        return _generator;
    }

    public void Dispose()
    {
        _generator?.Dispose();
        _generator = null;
        _modelId = null;
    }
}
