using System.Text.Json;
using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Builds the status body of api.md from a job row; fields that do not apply are null. model_kind and model_notice
/// come from the catalog at read time, so a tiny model's job says its output is noise.
/// </summary>
public sealed class JobViews(IJobStore store, IModelCatalog catalog)
{
    public async Task<JobStatusResponse> StatusAsync(JobRecord job, CancellationToken token)
    {
        var stored = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        var progress = job.Status switch
        {
            JobStatus.Queued => new ProgressDto("queued", 0, 0, 0),
            JobStatus.Completed => new ProgressDto("muxing", 1, 1, 1),
            // A job that has started always has a progress: "loading" until the generator's first report lands.
            _ => job.ProgressJson is null ? new ProgressDto("loading", 0, 0, 0) : JsonSerializer.Deserialize(job.ProgressJson, ApiJson.Default.ProgressDto),
        };
        int? position = job.Status == JobStatus.Queued ? await store.QueuePositionAsync(job.Seq, token) : null;
        var model = catalog.Resolve(job.Model);
        return new JobStatusResponse(
            job.Id, job.Status, job.CreatedAt, job.StartedAt, job.CompletedAt, job.ExpiresAt, progress, position, job.Model,
            ParametersDto.From(stored.Request),
            job.AdjustmentsJson is null ? null : JsonSerializer.Deserialize(job.AdjustmentsJson, ApiJson.Default.ListAdjustment),
            job.ResultJson is null ? null : JsonSerializer.Deserialize(job.ResultJson, ApiJson.Default.ResultDto),
            job.ErrorType is null ? null : new ErrorDetail(job.ErrorType, job.ErrorMessage ?? ""),
            model?.Kind, model?.Notice);
    }

    /// <summary>The job, or null when it does not exist or its result has expired (the sweep may not have run yet).</summary>
    public async Task<JobRecord?> FindLiveAsync(string id, DateTimeOffset now, CancellationToken token)
    {
        if (!Guid.TryParse(id, out var guid)) return null;
        var job = await store.GetAsync(guid.ToString(), token);
        return job is null || job.ExpiresAt <= now ? null : job;
    }
}
