using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LtxLocal.Browser.Tests;

/// <summary>What a person does on the playground, as the tests repeat it: open it with the key, fill the form for a tiny job.</summary>
public static class PlaygroundForm
{
    /// <summary>A browser on the server's page with the key entered and the tiny model listed.</summary>
    public static async Task<BrowserSession> OpenWithKeyAsync(PlaygroundServer server)
    {
        var browser = await BrowserSession.StartAsync(server.BaseUrl);
        await browser.Page.GotoAsync(server.BaseUrl + "/");
        await browser.Page.FillAsync("#api-key", PlaygroundServer.Key);
        await browser.Page.ClickAsync("#key-use");
        await Expect(browser.Page.Locator("#models-table tbody tr")).ToHaveCountAsync(1); // the tiny model
        return browser;
    }

    /// <summary>
    /// The form for a small one-stage job (64x64, 24 fps, no generated audio): <paramref name="kind"/> picks the task;
    /// null <paramref name="duration"/>, <paramref name="steps"/> or <paramref name="seed"/> leave the server's default.
    /// </summary>
    public static async Task FillTinyJobAsync(IPage page, string prompt, string kind = "text-to-video", double? duration = 4, int? steps = null, long? seed = null)
    {
        await page.SelectOptionAsync("#gen-kind", kind);
        await page.SelectOptionAsync("#gen-pipeline", "one-stage");
        await page.FillAsync("#gen-prompt", prompt);
        await page.FillAsync("#gen-resolution", "64x64");
        await page.SelectOptionAsync("#gen-fps", "24");
        if (duration is { } d) await page.FillAsync("#gen-duration", d.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (steps is { } s) await page.FillAsync("#gen-steps", s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (seed is { } n) await page.FillAsync("#gen-seed", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (kind != "audio-to-video") await page.UncheckAsync("#gen-audio"); // audio-to-video's sound is its input
    }

    /// <summary>Presses Generate; returns the request the page sent to <paramref name="endpoint"/> and the job id it then shows.</summary>
    public static async Task<(IRequest Request, string JobId)> SubmitAsync(IPage page, string baseUrl, string endpoint)
    {
        var sent = page.WaitForRequestAsync(r => r.Url == baseUrl + endpoint);
        await page.ClickAsync("#gen-submit");
        var request = await sent;
        await Expect(page.Locator("#job-id")).Not.ToBeEmptyAsync();
        return (request, (await page.Locator("#job-id").TextContentAsync())!);
    }
}
