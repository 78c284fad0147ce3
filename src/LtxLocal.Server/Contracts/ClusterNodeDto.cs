namespace LtxLocal.Server.Contracts;

/// <summary>One live node: its id (name#instance), name, last heartbeat, and the jobs it holds leases on.</summary>
public sealed record ClusterNodeDto(string Id, string Name, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, int JobsRunning);
