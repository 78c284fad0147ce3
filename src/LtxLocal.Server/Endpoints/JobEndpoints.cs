using LtxLocal.Media;
using LtxLocal.Server.ApiDocs;
using Microsoft.AspNetCore.Mvc;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// POST /v1/jobs/{id} (status), /download and /cancel (status and download are POST, as the hosted API publishes them);
/// GET /v1/jobs (the list, newest first, cursor-paged) and DELETE /v1/jobs/{id} (cancel, then remove the file and the row).
/// </summary>
public static class JobEndpoints
{
    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/v1/jobs");

        jobs.MapGet("", async ([FromQuery] string[]? status, [FromQuery] string? limit, [FromQuery] string? cursor,
            JobViews views, IJobStore store, TimeProvider clock, CancellationToken token) =>
        {
            var query = JobListParameters.Parse(status, limit, cursor, clock.GetUtcNow());
            var rows = await store.ListAsync(query with { Limit = query.Limit + 1 }, token); // one more says whether a next page exists
            var page = rows.Take(query.Limit).ToList();
            var data = new List<JobStatusResponse>(page.Count);
            foreach (var row in page) data.Add(await views.StatusAsync(row, token));
            return TypedResults.Ok(new JobListResponse(data, rows.Count > query.Limit ? JobCursor.After(page[^1]).Encode() : null));
        }).Errors(400).WithName("ListJobs");

        jobs.MapDelete("/{id}", async (string id, JobViews views, JobDeletion deletion, TimeProvider clock, CancellationToken token) =>
        {
            await deletion.DeleteAsync(await FindAsync(views, id, clock, token), token);
            return TypedResults.NoContent();
        }).Errors(404).WithName("DeleteJob");

        jobs.MapPost("/{id}", async (string id, JobViews views, TimeProvider clock, CancellationToken token) =>
            TypedResults.Ok(await views.StatusAsync(await FindAsync(views, id, clock, token), token)))
            .Errors(404).WithName("JobStatus");

        jobs.MapPost("/{id}/download", async (string id, JobViews views, TimeProvider clock, CancellationToken token) =>
        {
            var job = await FindAsync(views, id, clock, token);
            if (job.Status != JobStatus.Completed)
                throw ApiException.Conflict($"job {job.Id} is {job.Status}; the video can be downloaded once the status is completed");
            if (job.OutputPath is null || !File.Exists(job.OutputPath)) throw ApiException.NotFound($"the video of job {job.Id} is no longer stored");
            var format = Path.GetExtension(job.OutputPath).TrimStart('.');
            var contentType = OutputFormats.TryParse(format, out var f) ? f.ContentType() : "application/octet-stream";
            return new RangeFileResult(job.OutputPath, contentType, $"{job.Id}.{format}");
        }).Produces(StatusCodes.Status200OK, typeof(Stream), "video/mp4", "video/webm", "video/quicktime")
          .Produces(StatusCodes.Status206PartialContent, typeof(Stream), "video/mp4", "video/webm", "video/quicktime", "multipart/byteranges")
          .Errors(404, 409, 416).WithName("DownloadJob");

        jobs.MapPost("/{id}/cancel", async (string id, JobViews views, JobCancellation cancellation, TimeProvider clock, CancellationToken token) =>
            TypedResults.Ok(await views.StatusAsync(await cancellation.CancelAsync(await FindAsync(views, id, clock, token), token), token)))
            .Errors(404, 409).WithName("CancelJob");
    }

    private static async Task<JobRecord> FindAsync(JobViews views, string id, TimeProvider clock, CancellationToken token) =>
        await views.FindLiveAsync(id, clock.GetUtcNow(), token)
        ?? throw ApiException.NotFound($"no job with id '{id}' (unknown, or its result expired)");
}
