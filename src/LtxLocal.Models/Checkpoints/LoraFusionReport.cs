namespace LtxLocal.Models.Checkpoints;

/// <summary>What a fusion changed: the weights it touched.</summary>
public sealed record LoraFusionReport(IReadOnlyList<string> FusedWeights);
