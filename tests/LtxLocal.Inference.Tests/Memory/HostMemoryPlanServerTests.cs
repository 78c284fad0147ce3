using System.Text.Json.Nodes;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Tests.EndToEnd;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The host bound through HTTP on a CPU worker (Ltx:HostMemoryLimit applies there when configured): a plan whose device
/// peak fits but whose host memory (streamed blocks) is over the limit is passed over for the next plan that fits both,
/// and the adjustment says host memory was why; when every plan that fits the device is over the host limit, the job is
/// refused naming host memory. Budgets come from the estimator's own numbers for the request (dry runs: nothing runs).
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class HostMemoryPlanServerTests(TinyPlanModel tiny) : IClassFixture<TinyPlanModel>
{
    private static JsonObject DryRun()
    {
        var body = MemoryPlanServerTests.Body();
        body["dry_run"] = true;
        return body;
    }

    // The plans the server may choose here: only the streamed ones keep blocks in host memory on a CPU worker (the text
    // encoder already runs on the CPU), and on the tiny model their peaks tie with sequential's, which would always win.
    private static readonly MemoryPlan[] Streamed = [new(WeightPlacement.Streamed), new(WeightPlacement.Streamed, Fp8: true)];

    // The server's estimator on a CPU worker (float32), for that request (128x128, 4 s at 24 fps: 97 frames), fastest first.
    private List<PlanEstimate> Estimates()
    {
        var estimator = new VramEstimator(new ModelDirectoryCatalog(Path.GetDirectoryName(tiny.Directory)!), elementSize: 4);
        var shape = new GenerationShape(tiny.Descriptor.Id, "distilled", 128, 128, 97, true);
        return Streamed.Select(p => estimator.Estimate(shape, p)).ToList();
    }

    private static async Task<(int Status, JsonNode? Body, string Text)> PostAsync(long deviceLimit, long hostLimit)
    {
        using var server = new TinyModelServer(_ => { }, new Dictionary<string, string?>
        {
            ["Ltx:GpuMemoryLimit"] = deviceLimit.ToString(), ["Ltx:HostMemoryLimit"] = hostLimit.ToString(),
            ["Ltx:MemoryPlans"] = string.Join(",", Streamed.Select(p => p.Name)),
        });
        var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(DryRun().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, (int)response.StatusCode == 200 ? JsonNode.Parse(text) : null, text);
    }

    [Fact]
    public async Task A_plan_over_the_host_limit_is_passed_over_for_the_next_plan_that_fits_both()
    {
        var estimates = Estimates();
        var (passedOver, expected) = (estimates[0], estimates[1]);
        Assert.True(expected.HostBytes < passedOver.HostBytes, $"{expected.Plan.Name} should keep less in host memory than {passedOver.Plan.Name}");
        // Room on the device for both; host memory for all but the last byte of the faster plan's.
        long device = estimates.Max(e => e.PeakBytes), host = passedOver.HostBytes - 1;

        var (status, body, text) = await PostAsync(device, host);
        Assert.True(status == 200, text);
        var parameters = body!["parameters"]!;
        Assert.Equal(expected.Plan.Name, (string?)parameters["memory_plan"]!["plan"]);
        Assert.Equal(expected.HostBytes, (long)parameters["memory_plan"]!["host_bytes"]!);
        Assert.Equal("128x128", (string?)parameters["resolution"]);
        var change = Assert.Single(body["adjustments"]!.AsArray(), a => (string?)a!["field"] == "memory_plan")!;
        Assert.Equal(expected.Plan.Name, (string?)change["applied"]);
        var reason = (string)change["reason"]!;
        Assert.Contains($"{passedOver.Plan.Name} needs {ByteSize.Gib(passedOver.HostBytes)} of host memory", reason);
        Assert.Contains("--host-memory-limit", reason);
        Assert.DoesNotContain(body["adjustments"]!.AsArray(), a => (string?)a!["field"] is "resolution" or "duration");
    }

    [Fact]
    public async Task A_job_whose_device_fitting_plans_all_exceed_the_host_limit_is_refused_naming_host_memory()
    {
        var estimates = Estimates();
        long device = estimates.Max(e => e.PeakBytes), host = estimates.Min(e => e.HostBytes) - 1;
        Assert.True(host > 0, "the streamed plans should keep blocks in host memory");

        var (status, _, text) = await PostAsync(device, host);
        Assert.Equal(400, status);
        Assert.Contains("does not fit the host memory", text);
        Assert.Contains("--host-memory-limit", text);
        Assert.Contains("would fit", text);
    }
}
