using System.Net;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// How the server hands out the page, without a browser: no key needed, content types, the Content-Security-Policy,
/// and every file the page loads served from the assembly (nothing from elsewhere).
/// </summary>
public sealed class PlaygroundServingTests(PlaygroundServer server) : IClassFixture<PlaygroundServer>
{
    [Fact]
    public async Task Page_is_served_without_a_key_as_html_with_a_strict_content_security_policy()
    {
        using var http = server.Client(withKey: false);
        var response = await http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Select(d => d.Trim()).ToList();
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy); // no inline script, nothing from elsewhere
        Assert.Contains("<title>LtxLocal playground</title>", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Theory]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("playground.css", "text/css; charset=utf-8")]
    [InlineData("icon.svg", "image/svg+xml")]
    public async Task Assets_have_their_content_type(string name, string contentType)
    {
        using var http = server.Client(withKey: false);
        var response = await http.GetAsync($"/playground/{name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Every_reference_in_the_page_and_its_scripts_is_to_this_server()
    {
        using var http = server.Client(withKey: false);
        var texts = new List<string> { await http.GetStringAsync("/") };
        foreach (var name in new[] { "app.js", "api.js", "dom.js", "models.js", "request.js", "generate.js", "jobs.js", "sweeps.js", "playground.css" })
            texts.Add(await http.GetStringAsync($"/playground/{name}"));
        foreach (var text in texts)
            Assert.DoesNotMatch(@"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text); // no CDN, font or script host
    }

    [Fact]
    public async Task An_unknown_asset_is_a_404_in_the_error_shape()
    {
        using var http = server.Client(withKey: false);
        var response = await http.GetAsync("/playground/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"not_found\"", await response.Content.ReadAsStringAsync());
    }
}
