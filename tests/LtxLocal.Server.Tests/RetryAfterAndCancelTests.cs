using System.Text.Json.Nodes;
using LtxLocal.Server.Health;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, defects 7 and 9: Retry-After from the observed drain rate; a webhook when a job is cancelled.</summary>
public sealed class RetryAfterAndCancelTests
{
    [Fact]
    public async Task Retry_after_follows_the_observed_drain_rate()
    {
        await using var host = new TestHost();
        var metrics = host.Service<ServerMetrics>();
        var estimator = host.Service<RetryAfterEstimator>();
        Assert.Equal(30, estimator.Seconds(20)); // nothing observed yet: Ltx:RetryAfterSeconds
        // The probe's case: jobs ended every 10 s; 20 queued need 200 s, whatever the run time of one job suggests.
        var now = DateTimeOffset.UtcNow;
        for (var i = 10; i >= 0; i--) metrics.EndedAt(now.AddSeconds(-10 * i));
        Assert.InRange(estimator.Seconds(20), 199, 201);
    }

    [Fact]
    public async Task Without_a_drain_rate_the_mean_run_time_is_spread_over_this_nodes_workers()
    {
        await using var host = new TestHost(); // one CPU worker
        host.Service<ServerMetrics>().Completed("distilled", runSeconds: 60);
        // One end is not a rate; 8 jobs on 1 worker at 60 s each is 480 s (the old formula said 60 * 8 / 4 = 120).
        Assert.Equal(480, host.Service<RetryAfterEstimator>().Seconds(8));
    }

    [Fact]
    public async Task Cancelling_a_job_sends_its_webhook()
    {
        await using var web = await LocalWebServer.StartAsync();
        await using var host = new TestHost();
        host.Generator.Hold();
        var id = (string)(await host.SubmitAsync(new { webhook_url = web.BaseUrl + "/hook" }))["id"]!;
        await host.Generator.WaitForStartAsync();
        await host.PostAsync($"/v1/jobs/{id}/cancel");
        host.Generator.Release();
        for (var i = 0; i < 200 && !web.Received.Any(r => r.Path == "/hook"); i++) await Task.Delay(50);
        var hook = Assert.Single(web.Received, r => r.Path == "/hook");
        var payload = JsonNode.Parse(hook.Body)!;
        Assert.Equal((id, "cancelled"), ((string?)payload["id"], (string?)payload["status"]));
    }
}
