using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LtxLocal.Media;
using Xunit.Abstractions;

namespace LtxLocal.Server.Tests.Cluster;

/// <summary>
/// Two real `ltx-local serve` processes (tiny model, CPU workers, loopback ports) on one throwaway PostgreSQL with a
/// shared data folder and short leases (renew 1 s, expiry 8 s): simultaneous starts, shared work, a node killed with
/// SIGKILL mid-job, a cancel sent to the node that does not run the job, and a data folder that is not shared.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class TwoNodeClusterTests(ITestOutputHelper output) : IDisposable
{
    private const double LeaseExpiry = ServerProcess.LeaseExpirySeconds, RescuePeriod = ServerProcess.LeaseRenewSeconds;
    private readonly ClusterRoot _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [PostgresFact]
    public async Task Two_nodes_started_at_the_same_instant_both_come_up_ten_times()
    {
        for (var round = 0; round < 10; round++)
        {
            var postgres = ClusterRoot.NewDatabase(); // empty: both nodes create the schema at once
            var a = _cluster.Start("a", postgres);
            var b = _cluster.Start("b", postgres);
            await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
            var ready = (await a.Client.GetFromJsonAsync<JsonObject>("/ready"))!;
            Assert.Equal(["a", "b"], ready["cluster"]!["nodes"]!.AsArray().Select(n => (string)n!["name"]!).Order());
            ClusterRoot.Stop(a, b);
        }
    }

    [PostgresFact]
    public async Task Jobs_submitted_to_one_node_are_run_by_both_and_download_from_either()
    {
        var postgres = ClusterRoot.NewDatabase();
        var (a, b) = (_cluster.Start("a", postgres), _cluster.Start("b", postgres));
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());

        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((string)(await a.PostAsync("/v1/text-to-video", ClusterRoot.Request(steps: 40, seed: i)))["id"]!);
        foreach (var id in ids) await ClusterRoot.WaitForAsync(a, id, j => (string?)j["status"] == "completed");

        Assert.True(await a.MetricAsync("ltx_jobs_completed_total") > 0, "node a ran none of the jobs");
        Assert.True(await b.MetricAsync("ltx_jobs_completed_total") > 0, "node b ran none of the jobs");
        Assert.Equal(4, await a.MetricAsync("ltx_jobs_completed_total") + await b.MetricAsync("ltx_jobs_completed_total"));
        foreach (var id in ids) Assert.Equal(await DownloadAsync(a, id), await DownloadAsync(b, id));
    }

    [PostgresFact]
    public async Task A_job_whose_node_is_killed_is_completed_by_the_survivor_within_the_lease_expiry()
    {
        var postgres = ClusterRoot.NewDatabase();
        var (a, b) = (_cluster.Start("a", postgres), _cluster.Start("b", postgres));
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
        var id = (string)(await a.PostAsync("/v1/text-to-video", ClusterRoot.Request(steps: 60)))["id"]!;
        var running = await ClusterRoot.RunningNodeAsync([a, b]);
        var survivor = running == a ? b : a;
        await ClusterRoot.WaitForAsync(survivor, id, j => (string?)j["progress"]?["stage"] == "denoising");

        var killedAt = DateTimeOffset.UtcNow;
        running.Kill();
        var again = await ClusterRoot.WaitForAsync(survivor, id, j => j["started_at"] is { } s && (DateTimeOffset)s > killedAt);
        var restartSeconds = ((DateTimeOffset)again["started_at"]! - killedAt).TotalSeconds;
        // The lease lapses at most LeaseExpiry after the last renewal, the survivor's rescuer runs every RescuePeriod,
        // and its idle worker polls every second; 2 s more for a loaded machine.
        output.WriteLine($"killed node {running.Name}: the job ran again on {survivor.Name} {restartSeconds:F2} s later");
        Assert.True(restartSeconds <= LeaseExpiry + RescuePeriod + 1 + 2, $"job ran again {restartSeconds:F1} s after the kill\n{survivor.Log}");

        var done = await ClusterRoot.WaitForAsync(survivor, id, j => (string?)j["status"] == "completed");
        var file = Path.Combine(_cluster.Root, $"{id}.mp4");
        await File.WriteAllBytesAsync(file, await DownloadAsync(survivor, id));
        var info = await new MediaProbe(FfmpegTools.Locate(null, null)).ProbeAsync(file, countFrames: true);
        Assert.Equal((int)done["parameters"]!["num_frames"]!, info.Video!.Frames);
    }

    [PostgresFact]
    public async Task A_job_cancelled_through_the_other_node_stops_within_one_step()
    {
        var postgres = ClusterRoot.NewDatabase();
        var (a, b) = (_cluster.Start("a", postgres), _cluster.Start("b", postgres));
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());
        var id = (string)(await a.PostAsync("/v1/text-to-video", ClusterRoot.Request(steps: 100, size: 128)))["id"]!;
        var running = await ClusterRoot.RunningNodeAsync([a, b]);
        var other = running == a ? b : a;

        // The pace of the denoising steps, as the running node reports them.
        var first = await ClusterRoot.WaitForAsync(other, id, j => (string?)j["progress"]?["stage"] == "denoising" && (int)j["progress"]!["step"]! >= 1);
        var firstAt = DateTime.UtcNow;
        var second = await ClusterRoot.WaitForAsync(other, id, j => (int)j["progress"]!["step"]! >= (int)first["progress"]!["step"]! + 3);
        var stepSeconds = (DateTime.UtcNow - firstAt).TotalSeconds / ((int)second["progress"]!["step"]! - (int)first["progress"]!["step"]!);

        var cancelledAt = DateTime.UtcNow;
        Assert.Equal("cancelled", (string?)(await other.PostAsync($"/v1/jobs/{id}/cancel"))["status"]);
        var deadline = cancelledAt.AddSeconds(30);
        while (await running.MetricAsync("ltx_jobs_running_here") > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var stopSeconds = (DateTime.UtcNow - cancelledAt).TotalSeconds;

        output.WriteLine($"cancel through {other.Name}: {running.Name} stopped {stopSeconds:F2} s later (a step takes {stepSeconds:F2} s)");
        Assert.Equal(0, await running.MetricAsync("ltx_jobs_running_here"));
        // + 2.5 s: the stop is observed through /metrics polls, which take their time on a loaded machine.
        Assert.True(stopSeconds <= stepSeconds + 2.5, $"stopped {stopSeconds:F2} s after the cancel; a step takes {stepSeconds:F2} s\n{running.Log}");
        Assert.Contains($"Job {id} stopped", running.Log);
        Assert.Equal("cancelled", (string?)(await running.StatusAsync(id))["status"]);
        Assert.False(File.Exists(Path.Combine(_cluster.Root, "data", "outputs", $"{id}.mp4")));
    }

    [PostgresFact]
    public async Task A_node_whose_outputs_folder_is_not_shared_refuses_to_start()
    {
        var postgres = ClusterRoot.NewDatabase();
        var a = _cluster.Start("a", postgres);
        await a.WaitReadyAsync();
        var b = _cluster.Start("b", postgres, dataDir: Path.Combine(_cluster.Root, "elsewhere"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => b.WaitReadyAsync());
        Assert.True(b.Exited, error.Message);
        Assert.Contains("is not shared with node a", b.Log);
    }

    private static async Task<byte[]> DownloadAsync(ServerProcess node, string id)
    {
        var response = await node.Client.PostAsync($"/v1/jobs/{id}/download", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"download of {id} from {node.Name}: {(int)response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
