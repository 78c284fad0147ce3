namespace LtxLocal.Server.Jobs;

/// <summary>
/// The durable queue. Every state change is one conditional statement, so two workers (or two
/// nodes sharing PostgreSQL) never take the same job and a late worker never overwrites a cancel.
/// </summary>
public interface IJobStore
{
    Task InitializeAsync(CancellationToken token);

    /// <summary>Inserts the jobs as queued, all or none; false when they would push the queue past <paramref name="maxQueued"/>.</summary>
    Task<bool> TryEnqueueAsync(IReadOnlyList<JobRecord> jobs, int maxQueued, CancellationToken token);

    Task<JobRecord?> GetAsync(string id, CancellationToken token);

    /// <summary>1 for the next job to run.</summary>
    Task<int> QueuePositionAsync(long seq, CancellationToken token);

    Task<QueueCounts> CountAsync(CancellationToken token);

    /// <summary>Takes the oldest queued job for <paramref name="worker"/>, counting an attempt; null when the queue is empty.</summary>
    Task<JobRecord?> DequeueAsync(string worker, DateTimeOffset now, CancellationToken token);

    /// <summary>False when the job is no longer processing (cancelled): the worker should stop.</summary>
    Task<bool> UpdateProgressAsync(string id, string progressJson, DateTimeOffset now, CancellationToken token);

    /// <summary>Ends a processing job; false when it was not processing any more.</summary>
    Task<bool> FinishAsync(string id, JobEnd end, CancellationToken token);

    /// <summary>Cancels a queued or processing job; false when it had already ended.</summary>
    Task<bool> CancelAsync(string id, JobEnd end, CancellationToken token);

    /// <summary>Puts a processing job back in the queue (graceful shutdown), giving back its attempt.</summary>
    Task<bool> RequeueAsync(string id, CancellationToken token);

    /// <summary>
    /// After a crash: jobs left processing by this node (or, in a shared queue, with a stale
    /// heartbeat) are re-queued, or failed once they have used <paramref name="maxAttempts"/>.
    /// </summary>
    Task<(int Requeued, int Failed)> RecoverInterruptedAsync(string node, int maxAttempts, JobEnd failure, CancellationToken token);

    Task<IReadOnlyList<JobRecord>> ListExpiredAsync(DateTimeOffset now, CancellationToken token);

    Task DeleteAsync(string id, CancellationToken token);
}
