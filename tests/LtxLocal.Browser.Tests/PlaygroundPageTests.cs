using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// The playground at / in headless Chromium against the real server with the tiny model: it loads clean (no console
/// error, nothing fetched from outside the server), takes the key, lists the model, runs a job from its form to a
/// playing video, and sends picked image and audio files as multipart. Waits are on page state with generous limits
/// (a tiny job takes minutes on a loaded 2-core CPU).
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class PlaygroundPageTests(PlaygroundServer server) : IClassFixture<PlaygroundServer>
{
    private static readonly float JobLimitMs = (float)TimeSpan.FromMinutes(8).TotalMilliseconds;

    [ChromiumFact]
    public async Task Page_loads_with_no_console_errors_and_no_request_leaving_the_origin()
    {
        await using var browser = await PlaygroundForm.OpenWithKeyAsync(server);
        var page = browser.Page;
        await Expect(page.Locator("#models-table tbody tr").First).ToContainTextAsync("ready");
        await Expect(page.Locator("#key-state")).ToHaveTextAsync("Key accepted; it is kept for this tab only.");
        var pipelines = await page.Locator("#gen-pipeline option").AllTextContentsAsync();
        Assert.Contains("one-stage", pipelines);
        Assert.Equal(PlaygroundServer.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('ltxApiKey')"));
        await browser.ScreenshotAsync("playground-loaded");

        browser.AssertNoConsoleErrors();
        browser.AssertNothingLeftTheOrigin();
        Assert.Contains(server.BaseUrl + "/v1/models", browser.Requests); // through the public API
    }

    [ChromiumFact]
    public async Task A_job_submitted_from_the_form_reaches_100_percent_and_its_video_plays()
    {
        await using var browser = await PlaygroundForm.OpenWithKeyAsync(server);
        var page = browser.Page;
        await PlaygroundForm.FillTinyJobAsync(page, "a lighthouse at dusk, waves below", steps: 2, seed: 7);
        var (_, id) = await PlaygroundForm.SubmitAsync(page, server.BaseUrl, "/v1/text-to-video");

        await Expect(page.Locator("#job-percent")).ToHaveTextAsync("100 %", new() { Timeout = JobLimitMs });
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("completed");
        Assert.Equal(1.0, await page.EvaluateAsync<double>("() => document.getElementById('job-progress').value"));
        // readyState 2 (HAVE_CURRENT_DATA) or more: the blob: video decoded its first frame; an error fails at once.
        await page.WaitForFunctionAsync(
            "() => { const v = document.getElementById('result-video'); return !v.hidden && (v.readyState >= 2 || v.error !== null); }",
            null, new() { Timeout = 120_000 });
        var video = await page.EvaluateAsync<JsonElement>(
            "() => { const v = document.getElementById('result-video'); return { ready: v.readyState, error: v.error && v.error.message, width: v.videoWidth, height: v.videoHeight, src: v.src }; }");
        await browser.ScreenshotAsync("playground-job-played");

        Assert.True(video.GetProperty("ready").GetInt32() >= 2, video.ToString());
        Assert.Equal((64, 64), (video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        Assert.StartsWith("blob:", video.GetProperty("src").GetString());
        // What the server ran is what the form asked for, checked from outside the page.
        var job = await StatusAsync(id);
        Assert.Equal("completed", (string?)job["status"]);
        Assert.Equal(("one-stage", 2, 7L), ((string?)job["parameters"]!["pipeline"], (int)job["parameters"]!["steps"]!, (long)job["parameters"]!["seed"]!));
        // The recent jobs list (GET /v1/jobs, refreshed when the job ended) shows it, completed.
        await Expect(page.Locator($"#jobs-table tr[data-job='{id}'] td").Nth(1)).ToHaveTextAsync("completed");
        browser.AssertNoConsoleErrors();
        browser.AssertNothingLeftTheOrigin();
    }

    [ChromiumFact]
    public async Task An_image_from_the_file_picker_goes_as_multipart_and_the_page_cancels_the_job()
    {
        await using var browser = await PlaygroundForm.OpenWithKeyAsync(server);
        var page = browser.Page;
        await PlaygroundForm.FillTinyJobAsync(page, "a lighthouse at dusk", "image-to-video", steps: 100); // long enough to cancel
        await page.SetInputFilesAsync("#gen-image", new FilePayload { Name = "start.png", MimeType = "image/png", Buffer = TestImages.Png(96, 80) });
        var (request, id) = await PlaygroundForm.SubmitAsync(page, server.BaseUrl, "/v1/image-to-video");
        await CancelFromThePageAsync(page);
        await browser.ScreenshotAsync("playground-image-job-cancelled");

        Assert.StartsWith("multipart/form-data", await request.HeaderValueAsync("content-type"));
        var job = await StatusAsync(id);
        Assert.Equal(("cancelled", 1), ((string?)job["status"], (int)job["parameters"]!["conditioning_images"]!));
        browser.AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task An_audio_file_from_the_picker_drives_an_audio_to_video_job()
    {
        await using var browser = await PlaygroundForm.OpenWithKeyAsync(server);
        var page = browser.Page;
        await PlaygroundForm.FillTinyJobAsync(page, "a drum in a small room", "audio-to-video", duration: null, steps: 100);
        await page.SetInputFilesAsync("#gen-audio-file", new FilePayload { Name = "tone.wav", MimeType = "audio/wav", Buffer = TestWav.Sine(4.5) });
        var (request, id) = await PlaygroundForm.SubmitAsync(page, server.BaseUrl, "/v1/audio-to-video");
        await CancelFromThePageAsync(page); // only the submission is under test

        Assert.StartsWith("multipart/form-data", await request.HeaderValueAsync("content-type"));
        // No duration was given: the server took the soundtrack's length (4.5 s), snapped to the frames the model takes.
        Assert.InRange((double)(await StatusAsync(id))["parameters"]!["duration"]!, 4.0, 5.0);
        browser.AssertNoConsoleErrors();
    }

    private static async Task CancelFromThePageAsync(IPage page)
    {
        await page.ClickAsync("#job-cancel");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("cancelled", new() { Timeout = JobLimitMs });
    }

    private async Task<JsonObject> StatusAsync(string id)
    {
        using var api = server.Client();
        return (await (await api.PostAsync($"/v1/jobs/{id}", null)).Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
