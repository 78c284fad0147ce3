using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Server.Tests;

/// <summary>
/// ttl: the job's own retention (expires_at = completed_at + ttl; gone after it), adjusted into 60 s ... the server's maximum
/// with an entry in adjustments. include_cost: result.cost with the measured device seconds, and the amount at the
/// configured price; /metrics sums the same seconds per device.
/// </summary>
public sealed class RetentionAndCostTests
{
    private static DateTimeOffset At(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Ttl_60_expires_60_seconds_after_completion_and_the_job_is_gone_after_it()
    {
        var clock = new ShiftedClock();
        await using var host = new TestHost(services: s => s.AddSingleton<TimeProvider>(clock));
        var submitted = await host.SubmitAsync(new { ttl = 60 });
        Assert.Null(submitted["adjustments"]);
        var id = (string)submitted["id"]!;
        var job = await host.WaitForAsync(id, "completed");
        Assert.Equal(At(job["completed_at"]) + TimeSpan.FromSeconds(60), At(job["expires_at"]));

        clock.Advance(TimeSpan.FromSeconds(59));
        await host.StatusAsync(id); // still there just before
        clock.Advance(TimeSpan.FromSeconds(2));
        await TestHost.AssertErrorAsync(await host.PostAsync($"/v1/jobs/{id}"), 404, "not_found");
        await TestHost.AssertErrorAsync(await host.PostAsync($"/v1/jobs/{id}/download"), 404, "not_found");
        // The sweep (every 0.2 s here) then removes the row and the file.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.JobRowCount() > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, host.JobRowCount());
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataDir, "outputs")));
    }

    [Theory]
    [InlineData(5, 60)]
    [InlineData(0, 60)]
    [InlineData(-3, 60)]
    [InlineData(100_000_000, 7200)]
    public async Task A_ttl_outside_the_range_is_adjusted_not_refused(long asked, long applied)
    {
        await using var host = new TestHost(new() { ["Ltx:ResultTtlHours"] = "1", ["Ltx:MaxResultTtlHours"] = "2" });
        var submitted = await host.SubmitAsync(new { ttl = asked });
        var adjustment = Assert.Single(submitted["adjustments"]!.AsArray(), a => (string?)a!["field"] == "ttl")!;
        Assert.Equal((asked, applied), ((long)adjustment["requested"]!, (long)adjustment["applied"]!));
        Assert.False(string.IsNullOrWhiteSpace((string?)adjustment["reason"]));
        var job = await host.WaitForAsync((string)submitted["id"]!, "completed");
        Assert.Equal(At(job["completed_at"]) + TimeSpan.FromSeconds(applied), At(job["expires_at"]));
        Assert.Single(job["adjustments"]!.AsArray(), a => (string?)a!["field"] == "ttl");
    }

    [Fact]
    public async Task Without_ttl_the_server_retention_applies()
    {
        await using var host = new TestHost(new() { ["Ltx:ResultTtlHours"] = "3" });
        var job = await host.WaitForAsync((string)(await host.SubmitAsync())["id"]!, "completed");
        Assert.Equal(At(job["completed_at"]) + TimeSpan.FromHours(3), At(job["expires_at"]));
    }

    [Fact]
    public async Task A_ttl_that_is_not_a_whole_number_is_a_400()
    {
        await using var host = new TestHost();
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { ttl = "soon" })), 400, "invalid_request_error");
        Assert.Contains("'ttl'", message);
    }

    [Fact]
    public async Task Include_cost_reports_the_device_seconds_and_the_amount_at_the_configured_price()
    {
        await using var host = new TestHost(new() { ["Ltx:Pricing:PerDeviceHour"] = "2.5", ["Ltx:Pricing:Currency"] = "EUR" });
        host.Generator.StepDelay = TimeSpan.FromMilliseconds(100); // 4 steps: the device is busy at least 0.4 s
        var job = await host.WaitForAsync((string)(await host.SubmitAsync(new { include_cost = true }))["id"]!, "completed");
        var cost = job["result"]!["cost"]!;
        var seconds = (double)cost["gpu_seconds"]!;
        Assert.InRange(seconds, 0.4, (double)job["result"]!["timings"]!["total"]!);
        Assert.Equal("cpu", (string?)cost["device"]);
        Assert.Equal(seconds * 2.5 / 3600, (double)cost["amount"]!, 6); // amounts are rounded to 6 decimals
        Assert.Equal("EUR", (string?)cost["currency"]);

        var metrics = await host.Client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("ltx_device_seconds_total{device=\"cpu\"}", StringComparison.Ordinal));
        Assert.InRange(double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture), seconds - 0.001, seconds + 1);
    }

    [Fact]
    public async Task Without_a_price_the_cost_has_only_the_seconds_and_without_include_cost_there_is_none()
    {
        await using var host = new TestHost();
        var job = await host.WaitForAsync((string)(await host.SubmitAsync(new { include_cost = true }))["id"]!, "completed");
        var cost = job["result"]!["cost"]!;
        Assert.True((double)cost["gpu_seconds"]! > 0);
        Assert.Null(cost["amount"]);
        Assert.Null(cost["currency"]);
        var plain = await host.WaitForAsync((string)(await host.SubmitAsync())["id"]!, "completed");
        Assert.Null(plain["result"]!["cost"]);
    }
}
