namespace LtxLocal.Server.Contracts;

/// <summary>State: "ready", or "unavailable" with the reason. Kind "tiny" (with its notice) marks the random-weight test model.</summary>
public sealed record ModelDto(
    string Id, IReadOnlyList<string> Aliases, bool Default, IReadOnlyList<string> Pipelines, bool HasAudio,
    string State, string? Reason, string? Description, string Kind, string? Notice, IReadOnlyList<LoraDto> Loras);
