using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// Headless Debian Chromium under Playwright, with one page, recording every request URL the page makes (and
/// aborting any that would leave the server's origin) and every console error and uncaught exception.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _origin;

    public IPage Page { get; }
    public ConcurrentQueue<string> Requests { get; } = new();
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page, string origin)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        _origin = origin;
    }

    /// <param name="origin">the server's base URL (http://127.0.0.1:PORT): requests elsewhere are recorded and aborted</param>
    public static async Task<BrowserSession> StartAsync(string origin)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Executable ?? throw new InvalidOperationException("no Chromium (ChromiumFact skips without one)"),
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start; /dev/shm may be small in containers.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var session = new BrowserSession(playwright, browser, page, origin);
        context.Request += (_, request) => session.Requests.Enqueue(request.Url);
        await context.RouteAsync("**/*", route => session.LeavesOrigin(route.Request.Url) ? route.AbortAsync() : route.ContinueAsync());
        page.Console += (_, message) =>
        {
            if (message.Type == "error") session.ConsoleErrors.Enqueue($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => session.ConsoleErrors.Enqueue($"uncaught: {error}");
        page.SetDefaultTimeout(60_000);
        return session;
    }

    /// <summary>Whether a URL points outside the server: data: stays in the page; blob: belongs to the origin that made it.</summary>
    public bool LeavesOrigin(string url)
    {
        if (url.StartsWith("data:", StringComparison.Ordinal)) return false;
        var inner = url.StartsWith("blob:", StringComparison.Ordinal) ? url["blob:".Length..] : url;
        return !Uri.TryCreate(inner, UriKind.Absolute, out var uri) || !string.Equals(uri.GetLeftPart(UriPartial.Authority), _origin, StringComparison.OrdinalIgnoreCase);
    }

    public void AssertNoConsoleErrors() =>
        Assert.True(ConsoleErrors.IsEmpty, $"the page logged {ConsoleErrors.Count} error(s):\n{string.Join("\n", ConsoleErrors)}");

    public void AssertNothingLeftTheOrigin()
    {
        var outside = Requests.Where(LeavesOrigin).ToList();
        Assert.True(outside.Count == 0, $"requests outside {_origin}:\n{string.Join("\n", outside)}");
    }

    /// <summary>A full-page screenshot under the test output (TestResults/screenshots/NAME.png); returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
