using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A worker's current generator: kept while consecutive jobs use the same model (weights stay
/// loaded), disposed when a job for another model arrives.
/// </summary>
public sealed class GeneratorCache : IAsyncDisposable
{
    private string? _modelId;
    private IVideoGenerator? _generator;

    public IVideoGenerator Get(IGeneratorFactory factory, ModelDescriptor model, ComputeDevice device)
    {
        if (_generator is not null && _modelId == model.Id) return _generator;
        Release();
        _generator = factory.Create(model, device);
        _modelId = model.Id;
        return _generator;
    }

    private void Release()
    {
        if (_generator is IDisposable disposable) disposable.Dispose();
        _generator = null;
        _modelId = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_generator is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else Release();
        _generator = null;
    }
}
