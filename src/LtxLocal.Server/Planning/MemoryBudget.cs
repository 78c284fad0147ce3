using LtxLocal.Inference;
using LtxLocal.Inference.Requests;
using LtxLocal.Server.Jobs;

namespace LtxLocal.Server.Planning;

/// <summary>
/// Joins the pipelines' VRAM estimator with the free memory of the GPUs our workers own, for the resolver. Without an
/// estimator there is nothing to fit (<see cref="ForResolver"/> is null); with only a CPU worker the free memory is null.
/// </summary>
public sealed class MemoryBudget(DeviceSelection devices, IEnumerable<IVramEstimator> estimators, IEnumerable<IGpuInventory> inventories)
    : IGenerationMemory
{
    private readonly IVramEstimator? _estimator = estimators.FirstOrDefault();

    public bool CanEstimate => _estimator is not null;

    /// <summary>This budget when it can estimate, else null (the resolver then skips the memory step).</summary>
    public IGenerationMemory? ForResolver => CanEstimate ? this : null;

    public long EstimatePeakBytes(GenerationShape shape) => _estimator!.EstimatePeakBytes(shape);

    /// <summary>The least free memory among our CUDA devices (a job may land on any of them); null when none.</summary>
    public long? FreeBytes()
    {
        var cuda = devices.Devices.Where(d => d.IsCuda).Select(d => d.Index).ToHashSet();
        if (cuda.Count == 0) return null;
        var gpus = inventories.FirstOrDefault()?.List().Where(g => cuda.Contains(g.Index)).ToList();
        return gpus is { Count: > 0 } ? gpus.Min(g => g.FreeBytes) : null;
    }
}
