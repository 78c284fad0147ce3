namespace LtxLocal.Models.Checkpoints;

/// <summary>A LoRA names weights the model does not have (or the file holds keys that are no LoRA factors).</summary>
public sealed class LoraMismatchException(string message) : Exception(message);
