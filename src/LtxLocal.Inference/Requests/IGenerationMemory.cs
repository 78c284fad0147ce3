using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// What the resolver fits a request into: the estimated peak of a shape under each memory plan, the plans it may choose
/// (fastest first), and the budget of the devices that may run it (null when there is nothing to fit, e.g. a CPU worker
/// without a memory limit), and the host memory the plans' host-side weights must fit (null when unbounded). The server
/// joins its estimator, GPU inventory, host memory and limits here.
/// </summary>
public interface IGenerationMemory
{
    long EstimatePeakBytes(GenerationShape shape);

    long? FreeBytes();

    /// <summary>The plans the planner may choose, fastest first.</summary>
    IReadOnlyList<MemoryPlan> Plans => [MemoryPlan.Resident];

    PlanEstimate Estimate(GenerationShape shape, MemoryPlan plan) => PlanEstimate.Single(plan, EstimatePeakBytes(shape));

    /// <summary>What <see cref="FreeBytes"/> is, for messages ("the free GPU memory", "the memory limit (--gpu-memory-limit)").</summary>
    string BudgetName => "the free GPU memory";

    /// <summary>
    /// Host memory a plan's <see cref="PlanEstimate.HostBytes"/> must fit (pinned streamed blocks, a text encoder on the
    /// CPU), or null when nothing bounds it; the default keeps implementations that only know the device unchanged.
    /// </summary>
    long? HostFreeBytes() => null;

    /// <summary>Where <see cref="HostFreeBytes"/> comes from, for messages ("MemAvailable in /proc/meminfo", "--host-memory-limit").</summary>
    string HostBudgetName => "the host's available memory";
}
