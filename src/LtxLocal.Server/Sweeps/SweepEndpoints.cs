using LtxLocal.Server.Endpoints;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// POST /v1/sweeps (202), GET /v1/sweeps/{id} (JSON, or the table as CSV with ?format=csv), GET .../report (HTML),
/// GET .../contact-sheet.png and DELETE /v1/sweeps/{id} (cancels what still runs). All behind the API key, like every /v1 route.
/// </summary>
public static class SweepEndpoints
{
    public static void MapSweepEndpoints(this IEndpointRouteBuilder app)
    {
        var sweeps = app.MapGroup("/v1/sweeps");

        sweeps.MapPost("", async (HttpContext http, SweepService service, IOptions<ServerOptions> options) =>
        {
            var content = await RequestBody.ReadAsync(http.Request, options.Value, allowMultipart: false);
            var view = await service.SubmitAsync(content.Fields, http.RequestAborted);
            http.Response.Headers.Location = view.Links.Self;
            return TypedResults.Json(view, SweepJson.Default.SweepResponse, statusCode: StatusCodes.Status202Accepted);
        });

        sweeps.MapGet("/{id}", async (string id, string? format, SweepViews views, CancellationToken token) =>
        {
            if (format is not (null or "json" or "csv")) throw ApiException.BadRequest("'format' must be json or csv");
            var (record, sweep) = await FindAsync(views, id, token);
            var view = await views.ViewAsync(record, sweep, measure: true, token);
            return format == "csv"
                ? Results.Text(SweepCsv.Write(view), "text/csv; charset=utf-8; header=present")
                : TypedResults.Json(view, SweepJson.Default.SweepResponse);
        });

        sweeps.MapGet("/{id}/report", async (string id, HttpContext http, SweepViews views, CancellationToken token) =>
        {
            var (record, sweep) = await FindAsync(views, id, token);
            var view = await views.ViewAsync(record, sweep, measure: true, token);
            http.Response.Headers.ContentSecurityPolicy = SweepReportPage.ContentSecurityPolicy;
            return Results.Text(SweepReportPage.Render(view, SweepSheets.Size(view)), "text/html; charset=utf-8");
        });

        sweeps.MapGet("/{id}/contact-sheet.png", async (string id, SweepViews views, SweepSheets sheets, CancellationToken token) =>
        {
            var (record, sweep) = await FindAsync(views, id, token);
            var view = await views.ViewAsync(record, sweep, measure: false, token);
            return Results.File(await File.ReadAllBytesAsync(await sheets.PathAsync(view, sweep, token), token), "image/png");
        });

        sweeps.MapDelete("/{id}", async (string id, SweepViews views, SweepService service, CancellationToken token) =>
        {
            var (record, sweep) = await FindAsync(views, id, token);
            return TypedResults.Json(await service.CancelAsync(record, sweep, token), SweepJson.Default.SweepResponse);
        });
    }

    private static async Task<(SweepRecord, StoredSweep)> FindAsync(SweepViews views, string id, CancellationToken token) =>
        await views.FindAsync(id, token) ?? throw ApiException.NotFound($"no sweep with id '{id}'");
}
