using System.Globalization;

namespace LtxLocal.Server.Tests;

/// <summary>
/// /metrics through prometheus-net: histograms with _bucket/_sum/_count (run time by pipeline, queue wait, denoising steps,
/// decode), per-device series labelled by device, HTTP request metrics, the old names kept, and job counters that continue
/// from the job store after a restart.
/// </summary>
public sealed class MetricsScrapeTests
{
    private static async Task<string> ScrapeAsync(TestHost host)
    {
        var response = await host.Anonymous().GetAsync("/metrics");
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one series whose line starts with <paramref name="series"/> (name and labels as written).</summary>
    private static double Value(string text, string series)
    {
        var lines = text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one '{series}' line in:\n{text}");
        return double.Parse(lines[0][(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_scrape_after_a_job_shows_histograms_device_series_and_request_metrics()
    {
        await using var host = new TestHost();
        host.Generator.StepDelay = TimeSpan.FromMilliseconds(20);
        var job = await host.WaitForAsync((string)(await host.SubmitAsync())["id"]!, "completed");
        var pipeline = (string)job["parameters"]!["pipeline"]!;
        var text = await ScrapeAsync(host);

        Assert.Equal(1, Value(text, $"ltx_job_run_seconds_count{{pipeline=\"{pipeline}\"}}"));
        Assert.True(Value(text, $"ltx_job_run_seconds_sum{{pipeline=\"{pipeline}\"}}") > 0);
        Assert.Equal(1, Value(text, $"ltx_job_run_seconds_bucket{{pipeline=\"{pipeline}\",le=\"+Inf\"}}"));
        Assert.Equal(1, Value(text, "ltx_job_queue_wait_seconds_count"));
        Assert.Contains("ltx_job_queue_wait_seconds_bucket{le=", text);
        // The fake generator reports 4 steps; the first has no start mark, the other 3 are timed.
        Assert.Equal(3, Value(text, "ltx_denoising_step_seconds_count"));
        Assert.True(Value(text, "ltx_denoising_step_seconds_sum") >= 3 * 0.02 * 0.9);
        Assert.Equal(1, Value(text, "ltx_decode_seconds_count"));
        Assert.Contains("# TYPE ltx_decode_seconds histogram", text);

        Assert.Equal(0, Value(text, "ltx_device_busy{device=\"cpu\"}"));
        Assert.True(Value(text, "ltx_device_seconds_total{device=\"cpu\"}") > 0);
        Assert.True(Value(text, "ltx_device_memory_total_bytes{device=\"cpu\"}") >= Value(text, "ltx_device_memory_used_bytes{device=\"cpu\"}"));
        Assert.True(Value(text, "ltx_device_memory_used_bytes{device=\"cpu\"}") > 0);

        // Names kept from the hand-written exporter.
        foreach (var name in new[] { "ltx_jobs_submitted_total", "ltx_jobs_completed_total", "ltx_queue_depth", "ltx_jobs_processing", "ltx_workers",
                     "ltx_ready", "ltx_http_requests_total", "ltx_http_errors_total", "ltx_cluster_nodes_live", "ltx_jobs_running_here" })
            Assert.Contains($"\n{name} ", "\n" + text);
        Assert.Equal(1, Value(text, "ltx_jobs_completed_total"));
        Assert.Equal(1, Value(text, "ltx_workers"));

        // prometheus-net's HTTP metrics, by endpoint.
        Assert.Contains("http_request_duration_seconds_bucket{", text);
        Assert.Contains("endpoint=\"/v1/text-to-video\"", text);
    }

    [Fact]
    public async Task Job_counters_continue_from_the_job_store_after_a_restart()
    {
        var root = Directory.CreateTempSubdirectory("ltx-metrics-restart-").FullName;
        try
        {
            await using (var first = new TestHost(root: root))
            {
                await first.WaitForAsync((string)(await first.SubmitAsync())["id"]!, "completed");
                await first.WaitForAsync((string)(await first.SubmitAsync())["id"]!, "completed");
                first.Generator.FailWith = "boom";
                await first.WaitForAsync((string)(await first.SubmitAsync())["id"]!, "failed");
                first.Generator.FailWith = null;
                first.Generator.Hold();
                var held = (string)(await first.SubmitAsync())["id"]!;
                await first.Generator.WaitForStartAsync();
                Assert.True((await first.PostAsync($"/v1/jobs/{held}/cancel")).IsSuccessStatusCode);
                first.Generator.Release();
                var before = await ScrapeAsync(first);
                Assert.Equal((2, 1, 1), (Value(before, "ltx_jobs_completed_total"), Value(before, "ltx_jobs_failed_total"), Value(before, "ltx_jobs_cancelled_total")));
            }
            await using var second = new TestHost(root: root);
            var after = await ScrapeAsync(second);
            Assert.Equal((2, 1, 1), (Value(after, "ltx_jobs_completed_total"), Value(after, "ltx_jobs_failed_total"), Value(after, "ltx_jobs_cancelled_total")));
            await second.WaitForAsync((string)(await second.SubmitAsync())["id"]!, "completed");
            Assert.Equal(3, Value(await ScrapeAsync(second), "ltx_jobs_completed_total"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
