using LtxLocal.Inference.Requests;
using System.Text.Json.Nodes;
using LtxLocal.Inference;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Server.Tests;

/// <summary>"Never reject, adjust": out-of-range sizes and durations change, and each change is listed.</summary>
public sealed class AdjustmentTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonObject> DryRun(object extra, TestHost? host = null)
    {
        var response = await (host ?? _host).PostJsonAsync("/v1/text-to-video", TestHost.Request(extra).Also(b => b["dry_run"] = true));
        return await TestHost.ReadAsync(response);
    }

    [Theory]
    [InlineData("1280x704", 5.0, 25, 121)]
    [InlineData("1920x1088", 10.0, 50, 497)]
    [InlineData("768x512", 4.0, 24, 97)]
    [InlineData("64x64", 6.0, 48, 289)]
    public async Task In_range_requests_have_null_adjustments(string resolution, double duration, int fps, int frames)
    {
        var body = await DryRun(new { resolution, duration, fps });
        Assert.Null(body["adjustments"]);
        Assert.Equal((resolution, frames), ((string?)body["parameters"]!["resolution"], (int)body["parameters"]!["num_frames"]!));
    }

    [Fact]
    public async Task Off_multiple_resolution_is_snapped_and_listed()
    {
        var adjustment = (await DryRun(new { resolution = "1921x1080" }))["adjustments"]!.AsArray().Single()!;
        Assert.Equal(("resolution", "1921x1080", "1920x1088"), ((string?)adjustment["field"], (string?)adjustment["requested"], (string?)adjustment["applied"]));
        Assert.Contains("32", (string?)adjustment["reason"]);
    }

    [Fact]
    public async Task Oversize_resolution_is_scaled_into_the_maximum_keeping_aspect()
    {
        var body = await DryRun(new { resolution = "3840x2160" });
        Assert.Equal("1920x1088", (string?)body["parameters"]!["resolution"]);
        var change = body["adjustments"]!.AsArray().Last()!;
        Assert.Equal(("3840x2176", "1920x1088"), ((string?)change["requested"], (string?)change["applied"]));
    }

    [Fact]
    public async Task Two_stage_snaps_to_multiples_of_64()
    {
        var body = await DryRun(new { resolution = "1000x600", pipeline = "two-stage" });
        Assert.Equal("1024x576", (string?)body["parameters"]!["resolution"]);
    }

    [Theory]
    [InlineData(12.0, 10.0)]
    [InlineData(2.0, 4.0)]
    [InlineData(-3.0, 4.0)]
    [InlineData(1e9, 10.0)]
    public async Task Out_of_range_duration_is_clamped_and_listed(double requested, double applied)
    {
        var body = await DryRun(new { duration = requested });
        var change = body["adjustments"]!.AsArray().Single()!;
        Assert.Equal(("duration", requested, applied), ((string?)change["field"], (double)change["requested"]!, (double)change["applied"]!));
        Assert.Equal(applied, (double)body["parameters"]!["duration"]!);
    }

    [Fact]
    public async Task Steps_with_the_distilled_pipeline_are_ignored_with_an_entry()
    {
        var change = (await DryRun(new { steps = 30 }))["adjustments"]!.AsArray().Single()!;
        Assert.Equal(("steps", 30), ((string?)change["field"], (int)change["requested"]!));
        Assert.Null(change["applied"]);
        Assert.Null((await DryRun(new { steps = 30, pipeline = "one-stage" }))["adjustments"]);
    }

    [Fact]
    public async Task Request_that_does_not_fit_gpu_memory_is_stepped_down_resolution_first_then_duration()
    {
        // 100 bytes per pixel-frame against 8 GiB free: 1280x704x121 needs about 10 GiB.
        await using var host = new TestHost(new() { ["Ltx:Devices"] = "cuda:0" }, s =>
        {
            s.AddSingleton<IVramEstimator>(new FakeVramEstimator(100));
            s.AddSingleton<IGpuInventory>(new FakeGpuInventory(new GpuInfo(0, "test", 8L << 30, 80L << 30)));
        });
        var body = await DryRun(new { resolution = "1280x704", duration = 5 }, host);
        var fields = body["adjustments"]!.AsArray().Select(a => (string?)a!["field"]).ToList();
        Assert.Equal(["resolution"], fields);
        var p = body["parameters"]!;
        Assert.True((long)body["memory_estimate"]!["peak_bytes"]! <= 8L << 30);
        Assert.True((int)p["width"]! < 1280 && (int)p["height"]! >= 512);

        // Little free memory: resolution stops at the 512 floor (1024x544 still needs 6.7 GB at 5 s), then the duration
        // steps down to 4 s (5.4 GB fits 6 GiB).
        await using var tight = new TestHost(new() { ["Ltx:Devices"] = "cuda:0" }, s =>
        {
            s.AddSingleton<IVramEstimator>(new FakeVramEstimator(100));
            s.AddSingleton<IGpuInventory>(new FakeGpuInventory(new GpuInfo(0, "test", 6L << 30, 80L << 30)));
        });
        var squeezed = await DryRun(new { resolution = "1280x704", duration = 8 }, tight);
        Assert.Equal(["resolution", "duration"], squeezed["adjustments"]!.AsArray().Select(a => (string?)a!["field"]));
        Assert.Equal(4.0, (double)squeezed["parameters"]!["duration"]!);
        Assert.True(Math.Min((int)squeezed["parameters"]!["width"]!, (int)squeezed["parameters"]!["height"]!) >= 512);
    }

    [Fact]
    public async Task Request_that_fits_no_plan_even_at_the_smallest_size_is_refused_with_what_would_fit()
    {
        // 100 bytes per pixel-frame: even 512 pixels high and 4 s need more than 1 GiB.
        await using var host = new TestHost(new() { ["Ltx:Devices"] = "cuda:0" }, s =>
        {
            s.AddSingleton<IVramEstimator>(new FakeVramEstimator(100));
            s.AddSingleton<IGpuInventory>(new FakeGpuInventory(new GpuInfo(0, "test", 1L << 30, 80L << 30)));
        });
        var response = await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { resolution = "1280x704", duration = 8 }).Also(b => b["dry_run"] = true));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the free GPU memory (1.0 GiB)", body);
        Assert.Contains("would fit", body);
    }

    [Theory]
    [InlineData(5.0, 25, 121)]
    [InlineData(4.0, 25, 97)]
    [InlineData(10.0, 25, 249)]
    [InlineData(5.0, 50, 249)]
    [InlineData(5.0, 24, 121)]
    public void Frame_count_is_the_nearest_8k_plus_1(double duration, int fps, int frames)
    {
        Assert.Equal(frames, GenerationResolver.FrameCount(duration, fps));
        Assert.Equal(1, frames % 8);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
