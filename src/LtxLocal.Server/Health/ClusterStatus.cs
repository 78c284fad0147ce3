using System.Globalization;
using System.Text;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Jobs;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Health;

/// <summary>
/// The nodes sharing the queue as /ready and /metrics show them: live means a heartbeat within one lease
/// expiry. All cluster metrics are rendered here, so moving /metrics to another library touches one file.
/// </summary>
public sealed class ClusterStatus(
    IJobStore store, ClusterNode node, SharedOutputs shared, RunningJobs running, IOptions<ServerOptions> options, TimeProvider clock)
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

    public string RenderMetrics(IReadOnlyList<ClusterNodeRecord> nodes)
    {
        var text = new StringBuilder();
        void Header(string name, string help)
        {
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
            text.Append("# TYPE ").Append(name).AppendLine(" gauge");
        }
        Header("ltx_cluster_nodes_live", "Nodes sharing the job store with a heartbeat within one lease expiry.");
        text.Append("ltx_cluster_nodes_live ").AppendLine(nodes.Count.ToString(CultureInfo.InvariantCulture));
        Header("ltx_cluster_node_jobs_running", "Jobs each live node holds a lease on.");
        foreach (var n in nodes)
        {
            text.Append("ltx_cluster_node_jobs_running{node=\"").Append(Escape(n.Id)).Append("\",name=\"").Append(Escape(n.Name))
                .Append("\"} ").AppendLine(n.Running.ToString(CultureInfo.InvariantCulture));
        }
        Header("ltx_jobs_running_here", "Jobs this process is generating now.");
        text.Append("ltx_jobs_running_here ").AppendLine(running.Count.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string Escape(string label) => label.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
