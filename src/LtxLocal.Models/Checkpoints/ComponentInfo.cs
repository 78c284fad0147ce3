namespace LtxLocal.Models.Checkpoints;

/// <summary>One component found in a checkpoint: its file, key prefix, tensor count, parameters and dtypes.</summary>
public sealed record ComponentInfo(string Name, string File, string Prefix, int Tensors, long Parameters, IReadOnlyList<string> DTypes);
