namespace LtxLocal.Models.Checkpoints;

/// <summary>A LoRA to fuse and its strength.</summary>
public sealed record LoraWithStrength(LoraWeights Lora, double Strength);
