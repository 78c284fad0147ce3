using LtxLocal.Inference.Requests;

namespace LtxLocal.Inference;

/// <summary>
/// Estimates the peak GPU memory a generation needs, so the planner can shrink a request to fit
/// before it is queued rather than failing with out-of-memory after it started.
/// </summary>
public interface IVramEstimator
{
    long EstimatePeakBytes(GenerationShape shape);
}

/// <summary>Free and total memory of the GPUs this process may use (the Torch binding implements it).</summary>
public interface IGpuInventory
{
    IReadOnlyList<GpuInfo> List();
}

public sealed record GpuInfo(int Index, string Name, long FreeBytes, long TotalBytes);
