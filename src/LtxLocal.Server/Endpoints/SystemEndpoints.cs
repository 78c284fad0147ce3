using LtxLocal.Inference;
using LtxLocal.Server.Health;
using LtxLocal.Server.ApiDocs;
using Prometheus;

namespace LtxLocal.Server.Endpoints;

/// <summary>GET /v1/models (auth), and /health, /ready, /metrics (no auth, for probes and scrapers).</summary>
public static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", (IModelCatalog catalog, Availability availability) =>
            TypedResults.Ok(new ModelsResponse("list", [.. catalog.List().Select(m =>
            {
                var why = availability.WhyNot(m);
                var aliases = m.IsDefault ? [IModelCatalog.DefaultAlias, .. m.Aliases] : m.Aliases;
                return new ModelDto(m.Id, aliases, m.IsDefault, m.Pipelines, m.HasAudio, why is null ? "ready" : "unavailable", why, m.Description, m.Kind, m.Notice,
                    [.. m.Loras.Select(l => new LoraDto(l.Name, l.Bytes, l.Layers, l.Problem is null ? "ready" : "unusable", l.Problem))]);
            })]))).Errors().WithName("ListModels");

        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok"))).WithName("Health");

        app.MapGet("/ready", async (Readiness readiness, CancellationToken token) =>
        {
            var answer = await readiness.CheckAsync(token);
            // Not ready is reported in the documented error shape, with the individual checks beside it.
            return Results.Json(answer, ApiJson.Default.ReadinessResponse,
                statusCode: answer.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).Produces<ReadinessResponse>(StatusCodes.Status200OK).Produces<ReadinessResponse>(StatusCodes.Status503ServiceUnavailable).WithName("Ready");

        // prometheus-net writes the registry of this server's ServerMetrics; MetricsScrape refreshes the gauges first.
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ServerMetrics>().Registry);
    }
}
