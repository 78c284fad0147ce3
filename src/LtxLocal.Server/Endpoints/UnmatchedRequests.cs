using Microsoft.AspNetCore.Routing.Template;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// What the fallback endpoint answers: 405 with <c>Allow</c> when the path is a route that takes other methods
/// (GET /v1/jobs/{id}, which is POST), else 404. The routes and their methods come from the endpoints' own
/// metadata, so every route mapped anywhere is covered. Needed because a catch-all fallback accepts every method,
/// which keeps ASP.NET's own 405 from ever being chosen.
/// </summary>
public sealed class UnmatchedRequests(EndpointDataSource endpoints)
{
    public const string ReferencePath = "docs/api.md";
    private readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)>> _routes = new(() => Routes(endpoints));

    public static Task Handle(HttpContext context) =>
        throw context.RequestServices.GetRequiredService<UnmatchedRequests>().ErrorFor(context.Request.Method, context.Request.Path);

    public ApiException ErrorFor(string method, PathString path)
    {
        var allowed = _routes.Value.Where(r => r.Matcher.TryMatch(path, [])).SelectMany(r => r.Methods)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (allowed.Count > 0)
            return ApiException.MethodNotAllowed($"{path} does not take {method}; it takes {string.Join(", ", allowed)} (see {ReferencePath})", allowed);
        return ApiException.NotFound($"no route {method} {path}; the API is described in {ReferencePath} of the LtxLocal repository");
    }

    private static List<(TemplateMatcher, IReadOnlyList<string>)> Routes(EndpointDataSource source) =>
        [.. source.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods is { Count: > 0 } && e.Endpoint.RoutePattern.RawText is not null)
            .Select(e => (new TemplateMatcher(TemplateParser.Parse(e.Endpoint.RoutePattern.RawText!), []), e.Methods!))];
}
