namespace LtxLocal.Inference;

/// <summary>
/// Estimates the peak GPU memory a generation needs, so the planner can shrink a request to fit
/// before it is queued rather than failing with out-of-memory after it started.
/// </summary>
public interface IVramEstimator
{
    long EstimatePeakBytes(GenerationShape shape);

    /// <summary>The estimate under <paramref name="plan"/>; an estimator that knows only the resident peak reports that.</summary>
    Memory.PlanEstimate Estimate(GenerationShape shape, Memory.MemoryPlan plan) => Memory.PlanEstimate.Single(plan, EstimatePeakBytes(shape));

    /// <summary>The plans this estimator can tell apart, fastest first.</summary>
    IReadOnlyList<Memory.MemoryPlan> Plans => [Memory.MemoryPlan.Resident];
}

/// <summary>Free and total memory of the GPUs this process may use (the Torch binding implements it).</summary>
public interface IGpuInventory
{
    IReadOnlyList<GpuInfo> List();
}

/// <param name="ReservedBytes">what this process's caching allocator holds on the device (tensors and cache): memory its
/// next job reuses, so the planner counts it as free for LtxLocal although the driver does not</param>
public sealed record GpuInfo(int Index, string Name, long FreeBytes, long TotalBytes, long ReservedBytes = 0);
