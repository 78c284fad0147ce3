namespace LtxLocal.Server.Auth;

/// <summary>Every /v1 route needs "Authorization: Bearer &lt;key&gt;"; health, readiness and metrics do not.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1")) return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
            throw ApiException.Unauthorized("missing API key: send the header 'Authorization: Bearer <key>'");
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            throw ApiException.Unauthorized("the Authorization header must be 'Bearer <key>'");
        if (!keys.IsValid(header[scheme.Length..].Trim()))
            throw ApiException.Unauthorized("invalid API key");
        return next(context);
    }
}
