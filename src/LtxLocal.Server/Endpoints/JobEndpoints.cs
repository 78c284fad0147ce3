using LtxLocal.Media;

namespace LtxLocal.Server.Endpoints;

/// <summary>POST /v1/jobs/{id} (status), /download and /cancel. Status and download are POST, as the hosted API publishes them.</summary>
public static class JobEndpoints
{
    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/v1/jobs");

        jobs.MapPost("/{id}", async (string id, JobViews views, TimeProvider clock, CancellationToken token) =>
            TypedResults.Ok(await views.StatusAsync(await FindAsync(views, id, clock, token), token)));

        jobs.MapPost("/{id}/download", async (string id, JobViews views, TimeProvider clock, CancellationToken token) =>
        {
            var job = await FindAsync(views, id, clock, token);
            if (job.Status != JobStatus.Completed)
                throw ApiException.Conflict($"job {job.Id} is {job.Status}; the video can be downloaded once the status is completed");
            if (job.OutputPath is null || !File.Exists(job.OutputPath)) throw ApiException.NotFound($"the video of job {job.Id} is no longer stored");
            var format = Path.GetExtension(job.OutputPath).TrimStart('.');
            var contentType = OutputFormats.TryParse(format, out var f) ? f.ContentType() : "application/octet-stream";
            return new RangeFileResult(job.OutputPath, contentType, $"{job.Id}.{format}");
        });

        jobs.MapPost("/{id}/cancel", async (string id, JobViews views, JobCancellation cancellation, TimeProvider clock, CancellationToken token) =>
            TypedResults.Ok(await views.StatusAsync(await cancellation.CancelAsync(await FindAsync(views, id, clock, token), token), token)));
    }

    private static async Task<JobRecord> FindAsync(JobViews views, string id, TimeProvider clock, CancellationToken token) =>
        await views.FindLiveAsync(id, clock.GetUtcNow(), token)
        ?? throw ApiException.NotFound($"no job with id '{id}' (unknown, or its result expired)");
}
