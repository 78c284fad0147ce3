namespace LtxLocal.Inference.Memory;

/// <summary>A copy of the ledger: each phase's peak, what is placed now, bytes copied and steps run in the job so far.</summary>
public sealed record LedgerSnapshot(IReadOnlyList<PhaseMemory> Phases, long WeightBytesNow, long ActivationBytesNow, long BytesCopied, long Steps)
{
    public long PeakBytes => Phases.Count == 0 ? 0 : Phases.Max(p => p.TotalBytes);

    public PhaseMemory? this[string phase] => Phases.FirstOrDefault(p => p.Phase == phase);
}
