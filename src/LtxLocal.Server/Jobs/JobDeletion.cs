using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// DELETE /v1/jobs/{id}: a queued or running job is cancelled first (the row turns cancelled in one conditional update,
/// so a worker finishing at that moment can no longer complete it: its lease check fails and it deletes what it wrote),
/// then the job's files and its row go. No worker write inserts a row, so a late worker cannot bring the job back.
/// </summary>
public sealed class JobDeletion(IJobStore store, JobCancellation cancellation, OutputStore storage)
{
    public async Task DeleteAsync(JobRecord job, CancellationToken token)
    {
        if (!job.IsFinished) await cancellation.TryCancelAsync(job, token);
        storage.DeleteJobFiles(job.Id);
        await store.DeleteAsync(job.Id, token);
    }
}
