namespace LtxLocal.Inference.Memory;

/// <summary>A memory plan's estimate for one job: each phase, the runtime baseline and the host memory the plan keeps.</summary>
public sealed record PlanEstimate(MemoryPlan Plan, IReadOnlyList<PhaseEstimate> Phases, long BaselineBytes, long HostBytes)
{
    /// <summary>The device peak: the largest phase plus the baseline.</summary>
    public long PeakBytes => Phases.Max(p => p.TotalBytes) + BaselineBytes;

    /// <summary>The ledger's expected peak (weights and held activations, no working set or baseline).</summary>
    public long LedgerPeakBytes => Phases.Max(p => p.LedgerBytes);

    public PhaseEstimate? this[string phase] => Phases.FirstOrDefault(p => p.Phase == phase);

    /// <summary>An estimate known only as one peak (an estimator that does not know the phases).</summary>
    public static PlanEstimate Single(MemoryPlan plan, long peakBytes) => new(plan, [new PhaseEstimate("job", peakBytes, 0, 0)], 0, 0);
}
