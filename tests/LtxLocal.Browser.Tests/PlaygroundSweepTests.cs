using System.Buffers.Binary;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// A sweep run from the playground's grid editor: the report, fetched with the key, renders in its frame with the
/// contact sheet loaded (the image the API serves for that sweep, at its size).
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class PlaygroundSweepTests(PlaygroundServer server) : IClassFixture<PlaygroundServer>
{
    private static readonly float SweepLimitMs = (float)TimeSpan.FromMinutes(15).TotalMilliseconds;

    [ChromiumFact]
    public async Task A_sweep_from_the_grid_editor_shows_its_report_with_the_contact_sheet()
    {
        await using var browser = await PlaygroundForm.OpenWithKeyAsync(server);
        var page = browser.Page;
        await PlaygroundForm.FillTinyJobAsync(page, "a lighthouse at dusk, waves below", seed: 5); // steps come from the grid
        await page.FillAsync("#sweep-steps", "1, 2");
        await page.FillAsync("#sweep-guidance", "1, 3");
        await Expect(page.Locator("#sweep-count")).ToHaveTextAsync("4 cell(s)");
        await page.ClickAsync("#sweep-submit");

        await Expect(page.Locator("#sweep-report")).ToBeVisibleAsync(new() { Timeout = SweepLimitMs });
        await Expect(page.Locator("#sweep-state")).ToHaveAttributeAsync("data-state", "completed");
        await Expect(page.Locator("#sweep-cells tbody tr")).ToHaveCountAsync(4);
        var frame = await (await page.QuerySelectorAsync("#sweep-report"))!.ContentFrameAsync();
        var sheet = frame!.Locator("#contact-sheet");
        await Expect(sheet).ToBeVisibleAsync();
        await sheet.EvaluateAsync("img => img.decode()"); // resolves once the blob: image has loaded and decoded
        var shown = (await sheet.EvaluateAsync<int[]>("img => [img.naturalWidth, img.naturalHeight]"))!;
        Assert.StartsWith("blob:", await sheet.GetAttributeAsync("src"));
        await browser.ScreenshotAsync("playground-sweep-report");

        // The picture in the frame is the sweep's contact sheet as the API serves it (PNG header: width, height).
        var id = await page.Locator("#sweep-state").GetAttributeAsync("data-sweep");
        using var api = server.Client();
        var png = await api.GetByteArrayAsync($"/v1/sweeps/{id}/contact-sheet.png");
        Assert.Equal((BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))), (shown[0], shown[1]));
        await Expect(page.Locator("#jobs-table tbody tr")).ToHaveCountAsync(4); // the cells are jobs, listed by GET /v1/jobs
        browser.AssertNoConsoleErrors();
        browser.AssertNothingLeftTheOrigin();
    }
}
