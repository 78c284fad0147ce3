using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace LtxLocal.Server.Tests.Cluster;

/// <summary>
/// The closing-note measurement (scripts/cluster-soak.sh): 30 jobs on two nodes while node a is killed with SIGKILL
/// twice mid-job (and restarted once its job was taken over). Reports the time from each kill to the killed job
/// running again, and asserts that every job completes: none is lost.
/// </summary>
[Trait("Category", "Soak")]
[Collection(ClusterCollection.Name)]
public sealed class ClusterSoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Jobs = 30;
    private readonly ClusterRoot _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [SoakFact]
    public async Task Thirty_jobs_with_one_node_killed_twice_lose_none()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var postgres = ClusterRoot.NewDatabase();
        var (a, b) = (_cluster.Start("a", postgres), _cluster.Start("b", postgres));
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
        var ids = new List<string>();
        for (var i = 0; i < Jobs; i++)
            ids.Add((string)(await (i % 2 == 0 ? a : b).PostAsync("/v1/text-to-video", ClusterRoot.Request(steps: 20, seed: i)))["id"]!);

        var handovers = new List<double>();
        for (var kill = 0; kill < 2; kill++)
        {
            await WaitUntilRunningAsync(a);
            var processing = await ProcessingAsync(b, ids);
            var killedAt = DateTimeOffset.UtcNow;
            a.Kill();
            // a's job is the one among those running at the kill that starts again after it (b's keeps its start time).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            double? seconds = null;
            while (seconds is null && DateTime.UtcNow < deadline)
            {
                foreach (var (id, startedAt) in processing)
                {
                    var job = await b.StatusAsync(id);
                    if (job["started_at"] is { } s && (DateTimeOffset)s > killedAt) seconds = ((DateTimeOffset)s - killedAt).TotalSeconds;
                }
                await Task.Delay(100);
            }
            Assert.True(seconds is not null, $"no job of node a ran again within 60 s of kill {kill + 1}\n{b.Log}");
            handovers.Add(seconds.Value);
            output.WriteLine($"kill {kill + 1}: node a's job ran again on node b {seconds:F2} s after the SIGKILL");
            a = _cluster.Start("a", postgres);
            await a.WaitReadyAsync();
        }

        var outcomes = new Dictionary<string, string>();
        var end = DateTime.UtcNow.AddMinutes(8);
        while (outcomes.Count < Jobs && DateTime.UtcNow < end)
        {
            foreach (var id in ids.Where(id => !outcomes.ContainsKey(id)))
            {
                var job = await b.StatusAsync(id);
                if ((string?)job["status"] is "completed" or "failed" or "cancelled") outcomes[id] = (string)job["status"]!;
            }
            await Task.Delay(500);
        }
        var completed = outcomes.Count(o => o.Value == "completed");
        output.WriteLine($"{Jobs} jobs, node a killed twice: {completed} completed, {Jobs - completed} lost " +
                         $"(failed: {outcomes.Count(o => o.Value == "failed")}, unfinished: {Jobs - outcomes.Count}); " +
                         $"hand-over {string.Join(" s, ", handovers.Select(h => h.ToString("F2")))} s; whole run {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(Jobs, completed);
    }

    private static async Task WaitUntilRunningAsync(ServerProcess node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await node.MetricAsync("ltx_jobs_running_here") == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"node {node.Name} ran no job\n{node.Log}");
            await Task.Delay(50);
        }
    }

    private static async Task<List<(string Id, DateTimeOffset StartedAt)>> ProcessingAsync(ServerProcess node, List<string> ids)
    {
        var list = new List<(string, DateTimeOffset)>();
        foreach (var id in ids)
        {
            var job = await node.StatusAsync(id);
            if ((string?)job["status"] == "processing" && job["started_at"] is JsonNode s) list.Add((id, (DateTimeOffset)s));
        }
        return list;
    }
}
