namespace LtxLocal.Inference.Memory;

/// <summary>The peak of one phase: weights and held activations on the compute device at that moment.</summary>
public sealed record PhaseMemory(string Phase, long WeightBytes, long ActivationBytes)
{
    public long TotalBytes => WeightBytes + ActivationBytes;
}
