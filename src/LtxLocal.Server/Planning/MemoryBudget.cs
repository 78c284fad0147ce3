using LtxLocal.Inference;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Planning;

/// <summary>
/// Joins the pipelines' VRAM estimator with the memory our workers may use, for the resolver: the free memory of our
/// GPUs, capped by <c>Ltx:GpuMemoryLimit</c> (which is the whole budget on a CPU worker), and the memory plans the
/// planner may choose (<c>Ltx:MemoryPlans</c>, every plan the estimator knows by default). Without an estimator there
/// is nothing to fit (<see cref="ForResolver"/> is null); with only a CPU worker and no limit the budget is null.
/// The host budget bounds what plans keep in host memory: the host's available memory on a CUDA worker, capped by
/// <c>Ltx:HostMemoryLimit</c>; on a CPU worker only that limit (without it the device budget already is the host's).
/// </summary>
public sealed class MemoryBudget(DeviceSelection devices, IEnumerable<IVramEstimator> estimators, IEnumerable<IGpuInventory> inventories,
    IOptions<ServerOptions> options, RunningJobs? running = null, HostMeminfo? meminfo = null) : IGenerationMemory
{
    private readonly IVramEstimator? _estimator = estimators.FirstOrDefault();
    private readonly long? _limit = options.Value.GpuMemoryLimit is { } limit ? ByteSize.Parse(limit, "Ltx:GpuMemoryLimit") : null;
    private readonly long? _hostLimit = options.Value.HostMemoryLimit is { } host ? ByteSize.Parse(host, "Ltx:HostMemoryLimit") : null;
    private readonly HostMeminfo _meminfo = meminfo ?? new();

    public bool CanEstimate => _estimator is not null;

    /// <summary>This budget when it can estimate, else null (the resolver then skips the memory step).</summary>
    public IGenerationMemory? ForResolver => CanEstimate ? this : null;

    public long EstimatePeakBytes(GenerationShape shape) => _estimator!.EstimatePeakBytes(shape);

    public PlanEstimate Estimate(GenerationShape shape, MemoryPlan plan) => _estimator!.Estimate(shape, plan);

    public IReadOnlyList<MemoryPlan> Plans { get; } = Allowed(estimators.FirstOrDefault(), options.Value.MemoryPlans);

    public string BudgetName => _limit is null ? "the free GPU memory" : "the memory limit (--gpu-memory-limit / Ltx:GpuMemoryLimit)";

    /// <summary>The least free memory among our CUDA devices (a job may land on any of them), capped by the limit; null when neither bounds it.</summary>
    public long? FreeBytes()
    {
        var cuda = devices.Devices.Where(d => d.IsCuda).Select(d => d.Index).ToHashSet();
        var gpus = cuda.Count == 0 ? null : inventories.FirstOrDefault()?.List().Where(g => cuda.Contains(g.Index)).ToList();
        // What our own allocator holds (a running job, kept networks, its cache) is the next job's to reuse: a job is planned
        // when it is submitted, often while another runs on the same GPU, and runs after it.
        long? free = gpus is { Count: > 0 } ? gpus.Min(g => g.FreeBytes + g.ReservedBytes) : null;
        return (free, _limit) switch
        {
            (null, null) => null,
            ({ } f, null) => f,
            (null, { } l) => l,
            ({ } f, { } l) => Math.Min(f, l),
        };
    }

    public string HostBudgetName => _hostLimit is null ? "MemAvailable in /proc/meminfo" : "--host-memory-limit / Ltx:HostMemoryLimit";

    /// <summary>On a CUDA worker the host's available memory (read now: other processes change it), capped by the limit; on a CPU worker the limit alone.</summary>
    public long? HostFreeBytes()
    {
        // The host memory our running jobs' plans keep is the next job's after them (as on the GPU, above).
        long? available = devices.Devices.Any(d => d.IsCuda) ? _meminfo.AvailableBytes() + (running?.HostBytes ?? 0) : null;
        return available is { } a && _hostLimit is { } l ? Math.Min(a, l) : available ?? _hostLimit;
    }

    // The configured plans in the estimator's speed order; the estimator's own list when none are configured.
    private static IReadOnlyList<MemoryPlan> Allowed(IVramEstimator? estimator, string? configured)
    {
        var known = estimator?.Plans ?? [MemoryPlan.Resident];
        if (configured is null) return known;
        var wanted = configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(MemoryPlan.Parse).ToHashSet();
        var allowed = known.Where(wanted.Contains).ToList();
        return allowed.Count > 0 ? allowed : throw new InvalidOperationException(
            $"Ltx:MemoryPlans names no plan the estimator knows ({string.Join(", ", known.Select(p => p.Name))})");
    }
}
