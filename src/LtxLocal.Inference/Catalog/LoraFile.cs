namespace LtxLocal.Inference.Catalog;

/// <summary>
/// One LoRA in a model folder's <c>loras/</c>: the name requests use (the file name without <c>.safetensors</c>), where it
/// is, its size, how many layers it updates, and why it cannot be used with this model's transformer (null when it can).
/// </summary>
public sealed record LoraFile(string Name, string Path, long Bytes, int Layers, string? Problem);
