using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LtxLocal.Server.Tests;

/// <summary>
/// /openapi.json and the /docs reference page: served without a key; the document is OpenAPI 3 and names every route the
/// server maps with its methods (except the documented exclusions: the playground at /, the document itself, the
/// reference page and the fallback), the bearer scheme on every /v1 operation, the error bodies and the generation
/// bodies; the page loads nothing from another origin.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    private readonly TestHost _host = new();
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        var response = await _host.Anonymous().GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private JsonElement Paths => _document.GetProperty("paths");

    /// <summary>Every route with its methods, from the app's own endpoint data source (what the server really answers).</summary>
    private List<(string Path, string Method)> MappedRoutes() =>
        [.. _host.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => !IsExcluded(e.Path, e.Methods))
            .SelectMany(e => (e.Methods is { Count: > 0 } m ? m : ["GET"]).Select(method => (e.Path, method.ToLowerInvariant())))];

    private static bool IsExcluded(string path, IReadOnlyList<string>? methods) =>
        path is "/" or "/openapi.json" || path.StartsWith("/docs", StringComparison.Ordinal)
        || (methods is null && path.Contains("{*", StringComparison.Ordinal)); // the fallback (405/404 answers)

    [Fact]
    public void The_document_is_openapi_3_with_paths_and_components()
    {
        Assert.StartsWith("3.", _document.GetProperty("openapi").GetString());
        Assert.Equal("LtxLocal", _document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(Paths.EnumerateObject().Any());
        var bearer = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));
    }

    [Fact]
    public void Every_mapped_route_is_in_the_document_with_its_method()
    {
        var routes = MappedRoutes();
        Assert.Contains(("/v1/jobs", "get"), routes);
        Assert.Contains(("/v1/jobs/{id}", "delete"), routes);
        var missing = routes.Where(r => !Paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _)).ToList();
        Assert.True(missing.Count == 0, "not in /openapi.json: " + string.Join(", ", missing.Select(m => $"{m.Method.ToUpperInvariant()} {m.Path}")));
    }

    [Fact]
    public void V1_operations_need_the_bearer_key_and_document_the_error_body()
    {
        foreach (var path in Paths.EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "delete" or "put"))
        {
            var secured = operation.Value.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(r => r.TryGetProperty("bearer", out _));
            Assert.True(secured == path.Name.StartsWith("/v1/", StringComparison.Ordinal), $"{operation.Name} {path.Name}: security {secured}");
            if (!secured) continue;
            var unauthorized = operation.Value.GetProperty("responses").GetProperty("401").GetProperty("content").GetProperty("application/json");
            Assert.Contains("ErrorBody", unauthorized.GetProperty("schema").GetRawText());
        }
    }

    [Theory]
    [InlineData("/v1/text-to-video", null)]
    [InlineData("/v1/image-to-video", "image")]
    [InlineData("/v1/audio-to-video", "audio")]
    [InlineData("/v1/retake", "video")]
    [InlineData("/v1/extend", "video")]
    public void Generation_bodies_are_described_as_json_and_multipart(string path, string? file)
    {
        var post = Paths.GetProperty(path).GetProperty("post");
        var content = post.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.GetProperty("application/json").GetProperty("schema").GetProperty("properties").TryGetProperty("prompt", out _));
        Assert.Equal(file is not null, content.TryGetProperty("multipart/form-data", out var form));
        if (file is not null)
            Assert.Equal("binary", form.GetProperty("schema").GetProperty("properties").GetProperty(file).GetProperty("format").GetString());
        Assert.True(post.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(post.GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task The_reference_page_loads_without_a_key_and_from_this_origin_only()
    {
        var anonymous = _host.Anonymous();
        var page = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // The document is named relative to the app's base path (Scalar's initialize() resolves it to /openapi.json).
        Assert.Contains("\"url\":\"openapi.json\"", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"withDefaultFonts\":false", html);

        var references = ReferenceAttribute().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, url => Assert.False(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" || url.StartsWith("//"),
            $"the page loads {url} from another origin"));
        Assert.DoesNotMatch(@"https?://[^""'\s)]*(cdn|fonts|jsdelivr|unpkg)", html);
        foreach (var url in references.Where(u => u.EndsWith(".js", StringComparison.Ordinal)))
        {
            var script = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, url));
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{url}: {script.StatusCode}");
        }
        // What the page calls still needs the key.
        await TestHost.AssertErrorAsync(await anonymous.GetAsync("/v1/models"), 401, "authentication_error");
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex ReferenceAttribute();
}
