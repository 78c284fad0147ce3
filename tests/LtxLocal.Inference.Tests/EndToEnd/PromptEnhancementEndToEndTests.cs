using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Models;
using LtxLocal.Models.TextEncoder.Enhancement;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>The tiny model with a text-to-video system prompt placed in its <c>prompts/</c> folder.</summary>
public sealed class EnhancingTinyModelServer : IDisposable
{
    public EnhancingTinyModelServer()
    {
        Server = new TinyModelServer(dir =>
        {
            var prompts = Directory.CreateDirectory(Path.Combine(dir, ModelFiles.PromptsFolder)).FullName;
            File.WriteAllText(Path.Combine(prompts, PromptEnhancer.SystemPromptFileName(textToVideo: true)),
                "You rewrite short video ideas into one detailed paragraph: subject, motion, camera, light and sound.");
        });
    }

    public TinyModelServer Server { get; }

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// enhance_prompt through HTTP with the tiny model: the tiny Gemma (random weights, so the text is gibberish) rewrites
/// the prompt before encoding; the status reports the rewrite, and the request's seed fixes it.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class PromptEnhancementEndToEndTests(EnhancingTinyModelServer fixture) : IClassFixture<EnhancingTinyModelServer>
{
    private const string Prompt = "a lighthouse at dusk, waves below";

    private static JsonObject Request(long seed) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = Prompt, ["duration"] = 4, ["fps"] = 24, ["resolution"] = "64x64", ["pipeline"] = "distilled",
        ["generate_audio"] = false, ["seed"] = seed, ["enhance_prompt"] = true,
    };

    private async Task<string> EnhancedAsync(long seed)
    {
        var job = await fixture.Server.SubmitAsync(Request(seed));
        Assert.Null(job["adjustments"]);
        Assert.True((bool)job["parameters"]!["enhance_prompt"]!);
        var done = await fixture.Server.CompletedAsync((string)job["id"]!);
        Assert.True(done["result"]!["timings"]!["enhance"] is not null, done.ToJsonString());
        return (string)done["result"]!["enhanced_prompt"]!;
    }

    [Fact]
    public async Task The_encoded_prompt_is_the_seeded_rewrite_and_the_status_reports_it()
    {
        var first = await EnhancedAsync(seed: 21);
        var again = await EnhancedAsync(seed: 21);

        Assert.NotEqual(Prompt, first);
        Assert.False(string.IsNullOrWhiteSpace(first));
        Assert.Equal(first, again);
        lock (fixture.Server.Reports) Assert.Contains(fixture.Server.Reports, r => r.Progress.Stage == "enhancing_prompt");
    }

    [Fact]
    public async Task An_image_to_video_request_without_its_system_prompt_is_adjusted()
    {
        var body = Request(seed: 5);
        body["image_uri"] = "data:image/png;base64," + Convert.ToBase64String(LtxLocal.Server.Testing.TestImages.Png(64, 64));
        body["dry_run"] = true;
        var response = await fixture.Server.Client.PostAsync("/v1/image-to-video", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var plan = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.IsSuccessStatusCode, plan.ToJsonString());
        var adjustment = Assert.Single(plan["adjustments"]!.AsArray())!;
        Assert.Equal("enhance_prompt", (string?)adjustment["field"]);
        Assert.Contains("gemma3_i2v_system_prompt.txt", (string)adjustment["reason"]!);
        // Clients learn which setting's folder to use, not where this server keeps its files (issue 15).
        Assert.DoesNotContain(fixture.Server.Root, (string)adjustment["reason"]!);
        Assert.Contains("<Ltx:ModelsDir>", (string)adjustment["reason"]!);
    }
}
