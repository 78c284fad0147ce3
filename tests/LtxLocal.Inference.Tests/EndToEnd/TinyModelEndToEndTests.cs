using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// Through HTTP with the tiny model on the CPU: every pipeline, from text and from an image (plus a last-frame keyframe),
/// produces a file ffprobe confirms (size, the planned 8k+1 frames, fps, audio stream present or absent); the same
/// seed gives byte-identical files; a cancelled job stops within one denoising step.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class TinyModelEndToEndTests(TinyModelServer server) : IClassFixture<TinyModelServer>
{
    private static JsonObject Request(string pipeline, int size, bool audio, long seed = 11, object? steps = null) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk, waves below", ["duration"] = 4, ["fps"] = 24,
        ["resolution"] = $"{size}x{size}", ["pipeline"] = pipeline, ["generate_audio"] = audio, ["seed"] = seed,
        ["steps"] = pipeline == "distilled" ? null : JsonValue.Create(steps ?? 2),
    };

    private static string DataUri(int width, int height) => "data:image/png;base64," + Convert.ToBase64String(TestImages.Png(width, height));

    [Theory]
    [InlineData("distilled", false, 128, true)]
    [InlineData("one-stage", false, 64, true)]
    [InlineData("two-stage", false, 128, true)]
    [InlineData("distilled", true, 128, false)]
    [InlineData("one-stage", true, 64, false)]
    [InlineData("two-stage", true, 128, false)]
    public async Task Pipeline_writes_the_planned_video(string pipeline, bool fromImage, int size, bool audio)
    {
        var body = Request(pipeline, size, audio);
        if (fromImage)
        {
            body["image_uri"] = DataUri(96, 80);
            body["frame_images"] = new JsonArray(new JsonObject { ["image_uri"] = DataUri(80, 96), ["frame"] = "last" });
        }
        var job = await server.SubmitAsync(body, fromImage ? "/v1/image-to-video" : "/v1/text-to-video");
        var parameters = job["parameters"]!;
        await server.CompletedAsync((string)job["id"]!);
        var info = await server.Probe.ProbeAsync(await server.DownloadAsync((string)job["id"]!), countFrames: true);

        int frames = (int)parameters["num_frames"]!;
        Assert.Equal(1, frames % 8);
        Assert.Equal((size, size), (info.Video!.Width, info.Video.Height));
        Assert.Equal(frames, info.Video.Frames);
        Assert.Equal(24.0, info.Video.FrameRate, 3);
        Assert.Equal(audio, info.Audio is not null);
    }

    [Fact]
    public async Task Same_seed_gives_byte_identical_files()
    {
        var files = new List<byte[]>();
        foreach (var _ in new[] { 1, 2 })
        {
            var job = await server.SubmitAsync(Request("distilled", 64, audio: true, seed: 1234));
            await server.CompletedAsync((string)job["id"]!);
            files.Add(await File.ReadAllBytesAsync(await server.DownloadAsync((string)job["id"]!)));
        }
        Assert.Equal(files[0], files[1]);
    }

    [Fact]
    public async Task Cancelled_job_stops_within_one_step()
    {
        const int steps = 100;
        var job = await server.SubmitAsync(Request("one-stage", 64, audio: true, steps: steps));
        var id = (string)job["id"]!;
        await server.WaitForAsync(id, _ => Denoised().Count >= 2);
        var response = await server.Client.PostAsync($"/v1/jobs/{id}/cancel", null);
        // The server cancels the worker's token before it answers; steps may run while the row is updated (a slow
        // SQLite write under load), so "after the cancel" counts from the answer: at most the step in flight finishes.
        var cancelledAt = DateTime.UtcNow;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await server.WaitForAsync(id, j => (string?)j["status"] == "cancelled");
        await Task.Delay(1000); // a generation that ignored the token would keep reporting steps

        var afterCancel = Denoised().Count(r => r.At > cancelledAt);
        Assert.True(afterCancel <= 1, $"{afterCancel} denoising steps finished after the cancel");
        Assert.True(Denoised().Max(r => r.Progress.Step) < steps);
    }

    [Fact]
    public async Task Enhance_prompt_without_system_prompts_is_adjusted_off_and_the_job_completes()
    {
        var body = Request("distilled", 64, audio: false);
        body["enhance_prompt"] = true;
        var job = await server.SubmitAsync(body);

        var adjustment = Assert.Single(job["adjustments"]!.AsArray(), a => (string?)a!["field"] == "enhance_prompt")!;
        Assert.True((bool)adjustment["requested"]!);
        Assert.False((bool)adjustment["applied"]!);
        // The reason names the folder relative to the configured models directory, never the server's own path.
        Assert.Contains($"<Ltx:ModelsDir>/{Path.GetFileName(server.ModelDirectory)}/prompts", (string)adjustment["reason"]!);
        Assert.DoesNotContain(server.ModelDirectory, (string)adjustment["reason"]!);
        Assert.Contains("gemma3_t2v_system_prompt.txt", (string)adjustment["reason"]!);
        Assert.False((bool)job["parameters"]!["enhance_prompt"]!);
        var done = await server.CompletedAsync((string)job["id"]!);
        Assert.Null(done["result"]!["enhanced_prompt"]);
    }

    private List<(DateTime At, GenerationProgress Progress)> Denoised()
    {
        lock (server.Reports) return server.Reports.Where(r => r.Progress.Stage == "denoising" && r.Progress.TotalSteps > 50).ToList();
    }
}
