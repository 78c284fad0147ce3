namespace LtxLocal.Server.Contracts;

/// <summary>GET /health body.</summary>
public sealed record HealthResponse(string Status);
