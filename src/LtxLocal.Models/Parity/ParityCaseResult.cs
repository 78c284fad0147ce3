namespace LtxLocal.Models.Parity;

/// <summary>The outcome of one case: every compared tensor, or the error that stopped it.</summary>
public sealed record ParityCaseResult(string Component, string Case, IReadOnlyList<ParityComparison> Comparisons, string? Error)
{
    public bool Passed => Error is null && Comparisons.Count > 0 && Comparisons.All(c => c.Passed);
}
