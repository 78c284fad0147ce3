using LtxLocal.Server.Health;
using LtxLocal.Server.Notifications;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Cancels a queued or processing job: one conditional update of the row (so a job that just ended is never overwritten),
/// then the worker of this process stops at once, and the webhook hears of it.
/// </summary>
public sealed class JobCancellation(
    IJobStore store, RunningJobs running, JobOutcomes outcomes, Notifier notifier, IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <returns>the row after the cancel</returns>
    /// <exception cref="ApiException">409 when the job has already ended</exception>
    public async Task<JobRecord> CancelAsync(JobRecord job, CancellationToken token)
    {
        if (!await TryCancelAsync(job, token))
            throw ApiException.Conflict($"job {job.Id} has already ended ({(await store.GetAsync(job.Id, token))?.Status ?? job.Status}); " +
                                        "only queued or processing jobs can be cancelled");
        return (await store.GetAsync(job.Id, token))!;
    }

    /// <returns>false when the job had already ended (nothing changed)</returns>
    public async Task<bool> TryCancelAsync(JobRecord job, CancellationToken token)
    {
        var now = clock.GetUtcNow();
        var stored = System.Text.Json.JsonSerializer.Deserialize(job.SpecJson, Contracts.ApiJson.Default.StoredJob)!;
        var end = new JobEnd(JobStatus.Cancelled, now, now + stored.Retention(options.Value.ResultTtl), ErrorType: "cancelled", ErrorMessage: "cancelled on request");
        if (job.IsFinished || !await store.CancelAsync(job.Id, end, token)) return false;
        running.Cancel(job.Id); // a worker of this process stops at once; another node's at its next progress write or lease renewal
        await outcomes.CancelledAsync();
        await notifier.JobEndedAsync(job.Id); // the contract's "when the job ends" includes a cancellation
        return true;
    }
}
