namespace LtxLocal.Inference.Requests;

/// <summary>The estimated peak memory of a resolved request, and the free memory it was fitted into (null on the CPU).</summary>
public sealed record MemoryEstimate(long PeakBytes, long? FreeBytes);
