namespace LtxLocal.Server.Jobs;

/// <summary>A job the rescuer took back from a node whose lease expired: re-queued, or failed past the attempt limit.</summary>
public sealed record RescuedJob(string Id, string? Worker, bool Failed);
