using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// What the resolver fits a request into: the estimated peak of a shape under each memory plan, the plans it may choose
/// (fastest first), and the budget of the devices that may run it (null when there is nothing to fit, e.g. a CPU worker
/// without a memory limit). The server joins its estimator, GPU inventory and memory limit here.
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
}
