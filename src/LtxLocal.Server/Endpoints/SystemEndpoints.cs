using LtxLocal.Inference;
using LtxLocal.Media;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Health;
using LtxLocal.Server.Jobs;

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
                return new ModelDto(m.Id, aliases, m.IsDefault, m.Pipelines, m.HasAudio, why is null ? "ready" : "unavailable", why, m.Description, m.Kind, m.Notice);
            })])));

        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok")));

        app.MapGet("/ready", async (HttpContext http, IModelCatalog catalog, Availability availability, DeviceSelection devices, FfmpegTools ffmpeg,
            ClusterStatus cluster, CancellationToken token) =>
        {
            var model = catalog.Default;
            var (nodes, clusterProblem) = await cluster.ReadAsync(token);
            var checks = new Dictionary<string, CheckDto>
            {
                ["ffmpeg"] = new(true, ffmpeg.Version),
                ["model"] = model is null ? new(false, availability.NoModelMessage) : new(true, model.Id),
                ["backend"] = availability.Factory is null ? new(false, availability.WhyNot(model ?? Placeholder)!) : new(true, "inference backend loaded"),
                ["devices"] = devices.Devices.Count == 0 ? new(false, devices.Problem ?? "none") : new(true, string.Join(",", devices.Devices)),
                ["cluster"] = clusterProblem is null ? new(true, $"{nodes.Count} live node(s)") : new(false, clusterProblem),
            };
            var why = availability.WhyNot(model) ?? clusterProblem;
            var view = cluster.ToDto(nodes);
            if (why is null) return Results.Json(new ReadinessResponse(true, checks, Cluster: view), ApiJson.Default.ReadinessResponse);
            // Not ready is reported in the documented error shape, with the individual checks beside it.
            return Results.Json(new ReadinessResponse(false, checks, "error", new ErrorDetail("service_unavailable", why), view),
                ApiJson.Default.ReadinessResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/metrics", async (IJobStore store, ServerMetrics metrics, DeviceSelection devices, Availability availability, IModelCatalog catalog,
            ClusterStatus cluster, CancellationToken token) =>
        {
            var counts = await store.CountAsync(token);
            var text = metrics.Render(counts.Queued, counts.Processing, devices.Devices.Count, availability.WhyNot(catalog.Default) is null)
                + cluster.RenderMetrics((await cluster.ReadAsync(token)).Nodes);
            return TypedResults.Text(text, "text/plain; version=0.0.4; charset=utf-8");
        });
    }

    /// <summary>Stands in for "some model" when asking whether a backend exists at all.</summary>
    private static readonly ModelDescriptor Placeholder = new("(none)", "", [], ["distilled"], true, false, null);
}
