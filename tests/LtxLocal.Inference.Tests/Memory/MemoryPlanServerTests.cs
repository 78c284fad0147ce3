using System.Text.Json.Nodes;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Tests.EndToEnd;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The planner through HTTP on a CPU worker with a memory limit (Ltx:GpuMemoryLimit applies to the CPU too): a limit
/// between the sequential and the resident estimate makes the job run sequential at the asked size, echoed in
/// parameters.memory_plan (dry run and job alike) and named in adjustments; a limit below every plan refuses the job
/// with a 400 that says what would fit.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class MemoryPlanServerTests(TinyPlanModel tiny) : IClassFixture<TinyPlanModel>
{
    /// <summary>The request these tests plan (the host-memory tests post it too).</summary>
    internal static JsonObject Body() => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 4, ["fps"] = 24, ["resolution"] = "128x128", ["pipeline"] = "distilled",
        ["generate_audio"] = true, ["seed"] = 5,
    };

    private static async Task<(int Status, string Body)> PostAsync(TinyModelServer server, JsonObject body)
    {
        var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private PlanEstimate Estimate(MemoryPlan plan) =>
        new VramEstimator(new ModelDirectoryCatalog(Path.GetDirectoryName(tiny.Directory)!), elementSize: 4)
            .Estimate(new GenerationShape(tiny.Descriptor.Id, "distilled", 128, 128, 97, true), plan);

    [Fact]
    public async Task A_limit_under_the_resident_peak_runs_the_job_sequential_at_the_asked_size()
    {
        long resident = Estimate(MemoryPlan.Resident).PeakBytes, sequential = Estimate(new MemoryPlan(WeightPlacement.Sequential)).PeakBytes;
        Assert.True(sequential < resident, $"sequential {sequential} should need less than resident {resident}");
        long limit = sequential + (resident - sequential) / 2;
        using var server = new TinyModelServer(_ => { }, new Dictionary<string, string?> { ["Ltx:GpuMemoryLimit"] = limit.ToString() });

        var dry = Body();
        dry["dry_run"] = true;
        var (dryStatus, dryBody) = await PostAsync(server, dry);
        Assert.True(dryStatus == 200, dryBody);
        var planned = JsonNode.Parse(dryBody)!;
        Assert.Equal("sequential", (string?)planned["parameters"]!["memory_plan"]!["plan"]);

        var job = await server.SubmitAsync(Body());
        var plan = job["parameters"]!["memory_plan"]!;
        Assert.Equal("sequential", (string?)plan["plan"]);
        Assert.Equal(limit, (long)plan["budget_bytes"]!);
        Assert.True((long)plan["estimated_peak_bytes"]! <= limit);
        Assert.Equal("128x128", (string?)job["parameters"]!["resolution"]);
        var change = Assert.Single(job["adjustments"]!.AsArray(), a => (string?)a!["field"] == "memory_plan")!;
        Assert.Equal(("resident", "sequential"), ((string?)change["requested"], (string?)change["applied"]));
        await server.CompletedAsync((string)job["id"]!);
        var info = await server.Probe.ProbeAsync(await server.DownloadAsync((string)job["id"]!), countFrames: true);
        Assert.Equal(97, info.Video!.Frames);
    }

    [Fact]
    public async Task A_limit_below_every_plan_refuses_the_job_saying_what_would_fit()
    {
        long least = MemoryPlan.FastestFirst.Min(p => Estimate(p).PeakBytes);
        using var server = new TinyModelServer(_ => { }, new Dictionary<string, string?> { ["Ltx:GpuMemoryLimit"] = (least / 2).ToString() });
        var (status, body) = await PostAsync(server, Body());
        Assert.Equal(400, status);
        Assert.Contains("--gpu-memory-limit", body);
        Assert.Contains("would fit", body);
    }
}
