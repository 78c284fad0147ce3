namespace LtxLocal.Server.Health;

/// <summary>
/// The nodes sharing the queue as /ready and /metrics show them: live means a heartbeat within one lease
/// expiry (<see cref="MetricsScrape"/> turns them into gauges).
/// </summary>
public sealed class ClusterStatus(
    IJobStore store, ClusterNode node, SharedOutputs shared, IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <summary>The live nodes, and why this node cannot serve (store unreachable, outputs not shared), or null.</summary>
    public async Task<(IReadOnlyList<ClusterNodeRecord> Nodes, string? Problem)> ReadAsync(CancellationToken token)
    {
        try
        {
            var nodes = await store.ListNodesAsync(clock.GetUtcNow() - node.LeaseExpiry, token);
            return (nodes, shared.Problem(nodes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ([], $"the job store ({options.Value.Store}) cannot be reached: {e.Message}");
        }
    }

    public ClusterDto ToDto(IReadOnlyList<ClusterNodeRecord> nodes) =>
        new(options.Value.Store, node.Id, [.. nodes.Select(n => new ClusterNodeDto(n.Id, n.Name, n.StartedAt, n.HeartbeatAt, n.Running))]);

}
