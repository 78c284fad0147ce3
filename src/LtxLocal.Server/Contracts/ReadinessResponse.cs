namespace LtxLocal.Server.Contracts;

public sealed record ReadinessResponse(
    bool Ready, IReadOnlyDictionary<string, CheckDto> Checks, string? Type = null, ErrorDetail? Error = null, ClusterDto? Cluster = null);
