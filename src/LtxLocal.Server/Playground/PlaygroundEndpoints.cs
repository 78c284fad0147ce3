using Microsoft.Net.Http.Headers;

namespace LtxLocal.Server.Playground;

/// <summary>
/// GET / (the playground page) and GET /playground/{name} (its style sheet, scripts and icon), without auth: the page
/// asks for the API key and sends it on every /v1 call it makes. Served with a Content-Security-Policy that lets the
/// page load nothing from outside this server and run no inline script.
/// </summary>
public static class PlaygroundEndpoints
{
    /// <summary>
    /// Scripts and everything else only from this origin. blob: for the video, the report's images and the CSV, which
    /// the page fetches with the key and hands over as blob: URLs; inline styles for the sweep report, a server-made
    /// document shown in a sandboxed frame (no scripts there) that inherits this policy.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; media-src 'self' blob:; " +
        "connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapPlaygroundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, PlaygroundAssets assets) => Serve(http, assets.Find("index.html")!));
        app.MapGet("/playground/{name}", (string name, HttpContext http, PlaygroundAssets assets) =>
            assets.Find(name) is { } asset ? Serve(http, asset)
            : throw ApiException.NotFound($"the playground has no file '{name}'; it has {string.Join(", ", assets.Names.Order(StringComparer.Ordinal))}"));
    }

    private static IResult Serve(HttpContext http, PlaygroundAsset asset)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache"; // revalidated with the ETag, so a new build's page is seen at once
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }
}
