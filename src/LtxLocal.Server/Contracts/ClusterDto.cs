namespace LtxLocal.Server.Contracts;

/// <summary>/ready's view of the nodes sharing the queue: those with a recent heartbeat, this one marked by <see cref="Node"/>.</summary>
public sealed record ClusterDto(string Store, string Node, IReadOnlyList<ClusterNodeDto> Nodes);
