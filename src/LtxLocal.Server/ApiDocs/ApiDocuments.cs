using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LtxLocal.Server.ApiDocs;

/// <summary>
/// GET /openapi.json (Microsoft.AspNetCore.OpenApi, built from the endpoints' own metadata) and GET /docs (Scalar's API
/// reference, its script served from the Scalar.AspNetCore assembly; no CDN, no web fonts, no telemetry). Neither needs a
/// key; the document declares the bearer scheme on every /v1 operation, which is what the reference page's requests send.
/// </summary>
public static class ApiDocuments
{
    public const string DocumentPath = "/openapi.json", ReferencePath = "/docs";
    private const string Bearer = "bearer";

    public static IServiceCollection AddLtxApiDocuments(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "LtxLocal", Version = Manifests.RuntimeVersions.LtxLocal,
                    Description = "Self-hosted LTX-2 video generation, compatible with the hosted LTX-2 API. Field rules, adjustments and errors: docs/api.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "API key",
                    Description = "Authorization: Bearer <key>, a key from Ltx:ApiKeys or data/api-keys; every /v1 route needs it.",
                };
                foreach (var (_, item) in document.Paths.Where(p => p.Key.StartsWith("/v1/", StringComparison.Ordinal)))
                {
                    if (item.Operations is null) continue;
                    foreach (var operation in item.Operations.Values)
                        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
                }
                document.Paths["/metrics"] = MetricsPath();
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<BodyFields>().FirstOrDefault() is { } body)
                    operation.RequestBody = BodyFieldSchemas.RequestBody(body);
                return Task.CompletedTask;
            });
        });

    public static void MapLtxApiDocuments(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("LtxLocal API")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts()
            .DisableTelemetry());
    }

    /// <summary>prometheus-net maps /metrics as a plain endpoint, which the generator does not see; described here.</summary>
    private static OpenApiPathItem MetricsPath()
    {
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, new OpenApiOperation
        {
            Summary = "Prometheus metrics (no auth)",
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "the Prometheus text exposition format",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                },
            },
        });
        return item;
    }
}
