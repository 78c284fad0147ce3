using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// Through HTTP with tiny models of two generations (LTX-2.3, and LTX-2 without model_version): what <c>parameters</c>
/// echoes is what ran (steps counted from the generator's progress reports, guidance from the guider it built), the
/// defaults are each generation's, distilled drops and names what it ignores, and progress never goes back.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class ResolvedRequestEndToEndTests(ResolvedRequestEndToEndTests.Models server) : IClassFixture<ResolvedRequestEndToEndTests.Models>
{
    /// <summary>The 2.3 tiny model (id ltx-tiny, the default) and an LTX-2 one beside it (id tiny-ltx2, detected from its files).</summary>
    public sealed class Models() : TinyModelServer(AddLtx2)
    {
        public const string Ltx2Id = "tiny-ltx2";

        private static void AddLtx2(string tinyDirectory)
        {
            var dir = Path.Combine(Path.GetDirectoryName(tinyDirectory)!, Ltx2Id);
            TinyModel.Create(dir, seed: 4, modelVersion: null);
            File.Delete(Path.Combine(dir, Inference.Catalog.ModelDirectoryCatalog.ManifestName)); // detected from its files: id = folder name
        }
    }

    private static JsonObject Body(string pipeline, string model = "Lightricks/LTX-2") => new()
    {
        ["model"] = model, ["prompt"] = "a lighthouse at dusk", ["duration"] = 4, ["fps"] = 24, ["resolution"] = "64x64",
        ["pipeline"] = pipeline, ["generate_audio"] = true, ["seed"] = 5,
    };

    private async Task<JsonObject> DryRunAsync(JsonObject body)
    {
        body["dry_run"] = true;
        var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }

    [Fact]
    public async Task One_stage_without_steps_or_guidance_echoes_and_runs_the_generations_defaults()
    {
        lock (server.Reports) server.Reports.Clear();
        var job = await server.SubmitAsync(Body("one-stage"));
        var parameters = job["parameters"]!;
        var done = await server.CompletedAsync((string)job["id"]!);

        // LTX-2.3: 30 steps, video CFG 3, audio CFG 7, the reference's negative prompt.
        Assert.Equal(30, (int)parameters["steps"]!);
        Assert.Equal(3.0, (double)parameters["guidance_scale"]!);
        Assert.Equal(7.0, (double)parameters["audio_guidance_scale"]!);
        Assert.StartsWith("has_subtitles", (string)parameters["negative_prompt"]!);
        Assert.Equal(parameters.ToJsonString(), done["parameters"]!.ToJsonString());

        List<int> steps;
        lock (server.Reports) steps = server.Reports.Where(r => r.Progress.Stage == "denoising").Select(r => r.Progress.Step).Distinct().Where(s => s > 0).ToList();
        Assert.Equal((int)parameters["steps"]!, steps.Count);
        var ran = done["result"]!["ran"]!;
        Assert.Equal([30], ran["stage_steps"]!.AsArray().Select(s => (int)s!));
        Assert.Equal((double)parameters["guidance_scale"]!, (double)ran["video_guidance_scale"]!);
        Assert.Equal((double)parameters["audio_guidance_scale"]!, (double)ran["audio_guidance_scale"]!);
    }

    [Theory]
    [InlineData("Lightricks/LTX-2", 30)]  // ltx-tiny declares model_version 2.3.0
    [InlineData(Models.Ltx2Id, 40)]       // no model_version: LTX-2
    public async Task Default_steps_are_the_model_generations(string model, int steps)
    {
        var plan = await DryRunAsync(Body("two-stage", model));
        Assert.Equal(steps, (int)plan["parameters"]!["steps"]!);
        Assert.Equal(33, (int)plan["parameters"]!["image_crf"]!);
    }

    [Fact]
    public async Task Distilled_drops_steps_guidance_and_negative_prompt_from_parameters_and_names_each()
    {
        var body = Body("distilled");
        body["steps"] = 12;
        body["guidance_scale"] = 7;
        body["negative_prompt"] = "blurry";
        var job = await server.SubmitAsync(body);
        var parameters = job["parameters"]!.AsObject();
        Assert.False(parameters.ContainsKey("steps"));
        Assert.False(parameters.ContainsKey("guidance_scale"));
        Assert.False(parameters.ContainsKey("negative_prompt"));
        var dropped = job["adjustments"]!.AsArray().Where(a => a!["applied"] is null).Select(a => (string)a!["field"]!).Order();
        Assert.Equal(["guidance_scale", "negative_prompt", "steps"], dropped);

        var done = await server.CompletedAsync((string)job["id"]!);
        Assert.Null(done["result"]!["ran"]!["video_guidance_scale"]);
        Assert.Equal([8, 3], done["result"]!["ran"]!["stage_steps"]!.AsArray().Select(s => (int)s!)); // 64x64 halves cleanly: two stages
    }

    [Fact]
    public async Task Progress_never_goes_back_over_a_polled_two_stage_job()
    {
        var body = Body("two-stage");
        body["resolution"] = "128x128";
        body["steps"] = 6;
        lock (server.Reports) server.Reports.Clear();
        var job = await server.SubmitAsync(body);
        var id = (string)job["id"]!;
        var polled = new List<(string Status, JsonNode? Progress)>();
        await server.WaitForAsync(id, j =>
        {
            polled.Add(((string)j["status"]!, j["progress"]?.DeepClone()));
            return (string?)j["status"] == "completed";
        });

        var processing = polled.Where(p => p.Status is "processing" or "completed").ToList();
        Assert.NotEmpty(processing);
        Assert.All(processing, p => Assert.NotNull(p.Progress));
        var fractions = processing.Select(p => (double)p.Progress!["fraction"]!).ToList();
        for (int i = 1; i < fractions.Count; i++) Assert.True(fractions[i] >= fractions[i - 1], $"polled progress went back: {string.Join(", ", fractions)}");
        List<double> reported;
        lock (server.Reports) reported = server.Reports.Select(r => r.Progress.Fraction).ToList();
        for (int i = 1; i < reported.Count; i++) Assert.True(reported[i] >= reported[i - 1], $"reported progress went back: {string.Join(", ", reported)}");
        Assert.Contains(server.Reports, r => r.Progress.Stage == "upsampling");
        Assert.Equal(1.0, fractions[^1]);
    }
}
