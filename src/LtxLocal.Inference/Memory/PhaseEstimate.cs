namespace LtxLocal.Inference.Memory;

/// <summary>
/// One phase of a job as the estimator sees it: weights on the device, activations held between network calls (the
/// ledger's two columns) and the phase's transient working set inside a network call.
/// </summary>
public sealed record PhaseEstimate(string Phase, long WeightBytes, long HeldBytes, long WorkingBytes)
{
    /// <summary>What the ledger should record for this phase.</summary>
    public long LedgerBytes => WeightBytes + HeldBytes;

    public long TotalBytes => WeightBytes + HeldBytes + WorkingBytes;
}
