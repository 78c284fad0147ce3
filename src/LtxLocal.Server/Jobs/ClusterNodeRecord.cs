namespace LtxLocal.Server.Jobs;

/// <summary>One row of the nodes table: a server process sharing the queue, its last heartbeat and the jobs it holds leases on.</summary>
public sealed record ClusterNodeRecord(
    string Id, string Name, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, string? Marker, int Running);
