namespace LtxLocal.Server.Contracts;

/// <summary>
/// A LoRA of a model in GET /v1/models: the name requests use, its size and layer count, and <c>state</c> "ready", or
/// "unusable" with the <c>reason</c> (its keys do not fit this model's transformer, or the file cannot be read).
/// </summary>
public sealed record LoraDto(string Name, long Bytes, int Layers, string State, string? Reason);
