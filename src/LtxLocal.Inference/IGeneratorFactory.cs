namespace LtxLocal.Inference;

/// <summary>
/// Creates generators for installed models on one compute device. The pipelines register the
/// implementation; without one the server reports itself not ready and answers 503.
/// A worker keeps the generator it got for as long as the model stays the same, so loading
/// weights once per device is the factory's (or generator's) business.
/// </summary>
public interface IGeneratorFactory
{
    /// <summary>Why this model cannot run here (missing files, unsupported pipeline), or null when it can.</summary>
    string? Unavailable(ModelDescriptor model);

    IVideoGenerator Create(ModelDescriptor model, ComputeDevice device);
}

/// <summary>A device a worker owns: "cuda:0", "cuda:1", or "cpu".</summary>
public sealed record ComputeDevice(string Name)
{
    public bool IsCuda => Name.StartsWith("cuda", StringComparison.Ordinal);

    /// <summary>The CUDA ordinal, or -1 for the CPU.</summary>
    public int Index => IsCuda && Name.Length > 5 && int.TryParse(Name.AsSpan(5), out var i) ? i : IsCuda ? 0 : -1;

    public override string ToString() => Name;
}
