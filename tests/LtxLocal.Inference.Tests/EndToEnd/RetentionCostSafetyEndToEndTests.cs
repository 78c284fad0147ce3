using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// Issue 18 through HTTP with the tiny model on the CPU: ttl (adjusted into range, expires_at = completion + ttl, gone after),
/// include_cost (device seconds that agree with the stage timings, the amount at the configured price) and the content
/// checks against a checker on 127.0.0.1 (allowed: nsfw_content false, after it saw the sampled frames as PNG).
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "server")]
public sealed class RetentionCostSafetyEndToEndTests
{
    private static DateTimeOffset At(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Ttl_cost_and_checks_on_a_real_generation()
    {
        await using var checker = await ContentCheckerServer.StartAsync();
        var clock = new ShiftedClock();
        using var server = new TinyModelServer(_ => { }, new()
        {
            ["Ltx:Safety:Url"] = checker.Url,
            ["Ltx:Outbound:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Ltx:Pricing:PerDeviceHour"] = "1.8",
        }, s => s.AddSingleton<TimeProvider>(clock));
        var submitted = await server.SubmitAsync(new JsonObject
        {
            ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 2, ["fps"] = 24, ["resolution"] = "64x64",
            ["pipeline"] = "distilled", ["generate_audio"] = false, ["seed"] = 5,
            ["ttl"] = 5, ["include_cost"] = true, ["safety"] = new JsonObject { ["check_inputs"] = true, ["check_content"] = true },
        });
        var adjustment = Assert.Single(submitted["adjustments"]!.AsArray(), a => (string?)a!["field"] == "ttl")!;
        Assert.Equal((5L, 60L), ((long)adjustment["requested"]!, (long)adjustment["applied"]!));

        var id = (string)submitted["id"]!;
        var job = await server.CompletedAsync(id);
        Assert.Equal(At(job["completed_at"]) + TimeSpan.FromSeconds(60), At(job["expires_at"]));

        var result = job["result"]!;
        Assert.False((bool)result["nsfw_content"]!);
        var cost = result["cost"]!;
        var seconds = (double)cost["gpu_seconds"]!;
        var timings = result["timings"]!.AsObject();
        // The device time covers every stage the generator timed (prompt, denoising, decode) and lies within the job's total;
        // the mux (the encoder's flush after the generation) is not device time.
        var stages = timings.Where(t => t.Key is not ("total" or "denoise_per_step" or "mux")).Sum(t => (double)t.Value!);
        Assert.InRange(seconds, stages - 0.01, (double)timings["total"]!);
        Assert.True(seconds > 0);
        Assert.Equal("cpu", (string?)cost["device"]);
        Assert.Equal(seconds * 1.8 / 3600, (double)cost["amount"]!, 6);
        Assert.Equal("USD", (string?)cost["currency"]);

        var content = Assert.Single(checker.Checks, c => c.Kind == "content");
        var frames = (int)job["parameters"]!["num_frames"]!;
        var expected = new SortedSet<int> { 0, (frames - 1) / 2, frames - 1 };
        for (var s = 1; Math.Round(s * 24.0) < frames; s++) expected.Add((int)Math.Round(s * 24.0));
        Assert.Equal(expected, content.Images.Select(i => i.Frame!.Value).Order());
        Assert.All(content.Images, i => Assert.Equal((64, 64), (i.Width, i.Height)));
        Assert.Single(checker.Checks, c => c.Kind == "inputs");

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync($"/v1/jobs/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.PostAsync($"/v1/jobs/{id}/download", null)).StatusCode);
    }

    [Fact]
    public async Task A_denied_prompt_is_refused_before_the_tiny_model_runs()
    {
        await using var checker = await ContentCheckerServer.StartAsync();
        using var server = new TinyModelServer(_ => { }, new()
        {
            ["Ltx:Safety:Url"] = checker.Url, ["Ltx:Outbound:AllowedNetworks:0"] = "127.0.0.1/32",
        });
        var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(new JsonObject
        {
            ["model"] = "Lightricks/LTX-2", ["prompt"] = $"a {ContentCheckerServer.DeniedWord} thing", ["resolution"] = "64x64", ["duration"] = 2,
            ["safety"] = new JsonObject { ["check_inputs"] = true },
        }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("content_filtered_error", (string?)body["error"]!["type"]);
        Assert.Empty(server.Reports); // nothing ran
    }
}
