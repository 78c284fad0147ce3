using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// The playground at / in headless Chromium against the real server with the tiny model: it loads clean (no console
/// error, nothing fetched from outside the server), takes the key, lists the model, and runs a job from its form to
/// a playing video. Waits are on page state with generous limits (a tiny job takes minutes on a loaded 2-core CPU).
/// </summary>
[Trait("Category", "Browser")]
public sealed class PlaygroundPageTests(PlaygroundServer server) : IClassFixture<PlaygroundServer>
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromMinutes(8);

    private async Task<BrowserSession> OpenWithKeyAsync()
    {
        var browser = await BrowserSession.StartAsync(server.BaseUrl);
        await browser.Page.GotoAsync(server.BaseUrl + "/");
        await browser.Page.FillAsync("#api-key", PlaygroundServer.Key);
        await browser.Page.ClickAsync("#key-use");
        await Expect(browser.Page.Locator("#models-table tbody tr")).ToHaveCountAsync(1); // the tiny model
        return browser;
    }

    [ChromiumFact]
    public async Task Page_loads_with_no_console_errors_and_no_request_leaving_the_origin()
    {
        await using var browser = await OpenWithKeyAsync();
        var page = browser.Page;
        await Expect(page.Locator("#models-table tbody tr").First).ToContainTextAsync("ready");
        await Expect(page.Locator("#key-state")).ToHaveTextAsync("Key accepted; it is kept for this tab only.");
        var pipelines = await page.Locator("#gen-pipeline option").AllTextContentsAsync();
        Assert.Contains("one-stage", pipelines);
        Assert.Equal(PlaygroundServer.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('ltxApiKey')"));
        await browser.ScreenshotAsync("playground-loaded");

        browser.AssertNoConsoleErrors();
        var requests = browser.Requests.ToList();
        browser.AssertNothingLeftTheOrigin();
        Assert.Contains(server.BaseUrl + "/v1/models", requests); // through the public API
    }

    [ChromiumFact]
    public async Task A_job_submitted_from_the_form_reaches_100_percent_and_its_video_plays()
    {
        await using var browser = await OpenWithKeyAsync();
        var page = browser.Page;
        await page.SelectOptionAsync("#gen-pipeline", "one-stage");
        await page.FillAsync("#gen-prompt", "a lighthouse at dusk, waves below");
        await page.FillAsync("#gen-resolution", "64x64");
        await page.FillAsync("#gen-duration", "4");
        await page.SelectOptionAsync("#gen-fps", "24");
        await page.FillAsync("#gen-steps", "2");
        await page.FillAsync("#gen-seed", "7");
        await page.UncheckAsync("#gen-audio");
        await page.ClickAsync("#gen-submit");

        await Expect(page.Locator("#job-percent")).ToHaveTextAsync("100 %", new() { Timeout = (float)JobLimit.TotalMilliseconds });
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
        var id = await page.Locator("#job-id").TextContentAsync();
        using var api = server.Client();
        var job = (await (await api.PostAsync($"/v1/jobs/{id}", null)).Content.ReadFromJsonAsync<JsonObject>())!;
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
        await using var browser = await OpenWithKeyAsync();
        var page = browser.Page;
        await page.SelectOptionAsync("#gen-kind", "image-to-video");
        await page.SelectOptionAsync("#gen-pipeline", "one-stage");
        await page.FillAsync("#gen-prompt", "a lighthouse at dusk");
        await page.FillAsync("#gen-resolution", "64x64");
        await page.FillAsync("#gen-steps", "100"); // long enough to be cancelled while it runs or waits
        await page.UncheckAsync("#gen-audio");
        await page.SetInputFilesAsync("#gen-image", new FilePayload { Name = "start.png", MimeType = "image/png", Buffer = TestImages.Png(96, 80) });
        var submitted = page.WaitForRequestAsync(r => r.Url == server.BaseUrl + "/v1/image-to-video");
        await page.ClickAsync("#gen-submit");
        var request = await submitted;

        await Expect(page.Locator("#job-id")).Not.ToBeEmptyAsync();
        var id = await page.Locator("#job-id").TextContentAsync();
        await page.ClickAsync("#job-cancel");
        await Expect(page.Locator("#job-status")).ToHaveTextAsync("cancelled", new() { Timeout = (float)JobLimit.TotalMilliseconds });
        await browser.ScreenshotAsync("playground-image-job-cancelled");

        Assert.StartsWith("multipart/form-data", await request.HeaderValueAsync("content-type"));
        using var api = server.Client();
        var job = (await (await api.PostAsync($"/v1/jobs/{id}", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("cancelled", 1), ((string?)job["status"], (int)job["parameters"]!["conditioning_images"]!));
        browser.AssertNoConsoleErrors();
    }
}
