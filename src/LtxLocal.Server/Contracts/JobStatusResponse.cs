using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

public sealed record JobStatusResponse(
    string Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt, ProgressDto? Progress, int? QueuePosition, string Model, ParametersDto Parameters,
    IReadOnlyList<Adjustment>? Adjustments, ResultDto? Result, ErrorDetail? Error, string? ModelKind = null, string? ModelNotice = null);
