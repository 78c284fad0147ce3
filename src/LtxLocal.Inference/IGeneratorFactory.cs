namespace LtxLocal.Inference;

/// <summary>
/// Creates generators for installed models on one compute device. The pipelines register the
/// implementation; without one the server reports itself not ready and answers 503.
/// A worker keeps the generator it got for as long as the model stays the same, so loading
/// weights once per device is the factory's (or generator's) business.
/// </summary>
public interface IGeneratorFactory
{
    /// <summary>Why this model cannot run here (missing files, unsupported pipeline), or null when it can. Cheap: no file is read.</summary>
    string? Unavailable(ModelDescriptor model);

    IVideoGenerator Create(ModelDescriptor model, ComputeDevice device);
}
