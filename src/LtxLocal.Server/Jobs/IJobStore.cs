namespace LtxLocal.Server.Jobs;

/// <summary>
/// The durable queue. Every state change is one conditional statement, so two workers (or two
/// nodes sharing PostgreSQL) never take the same job and a late worker never overwrites a cancel.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates or upgrades the schema (ordered migrations); safe when several nodes start at once.</summary>
    Task InitializeAsync(CancellationToken token);

    /// <summary>Inserts the jobs as queued, all or none; false when they would push the queue past <paramref name="maxQueued"/>.</summary>
    Task<bool> TryEnqueueAsync(IReadOnlyList<JobRecord> jobs, int maxQueued, CancellationToken token);

    Task<JobRecord?> GetAsync(string id, CancellationToken token);

    /// <summary>1 for the next job to run.</summary>
    Task<int> QueuePositionAsync(long seq, CancellationToken token);

    Task<QueueCounts> CountAsync(CancellationToken token);

    /// <summary>
    /// Takes the oldest queued job for <paramref name="worker"/> under <paramref name="lease"/>, counting an attempt;
    /// null when the queue is empty.
    /// </summary>
    Task<JobRecord?> DequeueAsync(string worker, LeaseTerms lease, CancellationToken token);

    /// <summary>False when the job is no longer processing under <paramref name="owner"/>'s lease (cancelled, or rescued): the worker should stop.</summary>
    Task<bool> UpdateProgressAsync(string id, string owner, string progressJson, DateTimeOffset now, CancellationToken token);

    /// <summary>Ends a processing job; false when it was not processing under <paramref name="owner"/>'s lease any more.</summary>
    Task<bool> FinishAsync(string id, string owner, JobEnd end, CancellationToken token);

    /// <summary>Cancels a queued or processing job; false when it had already ended.</summary>
    Task<bool> CancelAsync(string id, JobEnd end, CancellationToken token);

    /// <summary>Puts a processing job back in the queue (graceful shutdown), giving back its attempt.</summary>
    Task<bool> RequeueAsync(string id, string owner, CancellationToken token);

    /// <summary>Extends the leases <paramref name="lease"/>'s owner still holds among <paramref name="ids"/>; returns those ids.</summary>
    Task<IReadOnlySet<string>> RenewLeasesAsync(LeaseTerms lease, IReadOnlyCollection<string> ids, CancellationToken token);

    /// <summary>
    /// Any node's rescuer: processing jobs whose lease expired go back to the queue (their attempt stays
    /// counted), or fail naming the lost worker once they have used <paramref name="maxAttempts"/>.
    /// </summary>
    Task<IReadOnlyList<RescuedJob>> RescueExpiredAsync(DateTimeOffset now, int maxAttempts, JobEnd failure, CancellationToken token);

    /// <summary>Records that <paramref name="node"/> is alive (inserting its row on the first beat).</summary>
    Task HeartbeatAsync(ClusterNodeRecord node, DateTimeOffset now, CancellationToken token);

    /// <summary>Nodes with a heartbeat since <paramref name="liveSince"/>, with the jobs each holds a lease on.</summary>
    Task<IReadOnlyList<ClusterNodeRecord>> ListNodesAsync(DateTimeOffset liveSince, CancellationToken token);

    /// <summary>Removes the named nodes (a graceful stop) and those silent since <paramref name="silentSince"/>.</summary>
    Task ForgetNodesAsync(IReadOnlyCollection<string> ids, DateTimeOffset silentSince, CancellationToken token);

    /// <summary>
    /// After a crash: jobs left processing by this node (or, in a shared queue, with a stale
    /// heartbeat) are re-queued, or failed once they have used <paramref name="maxAttempts"/>.
    /// </summary>
    Task<(int Requeued, int Failed)> RecoverInterruptedAsync(string node, int maxAttempts, JobEnd failure, CancellationToken token);

    /// <summary>
    /// One page of jobs, newest first by (created_at, id): those after <see cref="JobListQuery.After"/>, with one of the
    /// query's statuses (any when empty), not expired at <see cref="JobListQuery.Now"/>; at most <see cref="JobListQuery.Limit"/>.
    /// </summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(JobListQuery query, CancellationToken token);

    Task<IReadOnlyList<JobRecord>> ListExpiredAsync(DateTimeOffset now, CancellationToken token);

    Task DeleteAsync(string id, CancellationToken token);

    /// <summary>Adds one to <paramref name="node"/>'s count of jobs that ended with <paramref name="outcome"/> (completed, failed, cancelled).</summary>
    Task CountOutcomeAsync(string node, string outcome, CancellationToken token);

    /// <summary>The counts <see cref="CountOutcomeAsync"/> kept for <paramref name="node"/>, by outcome.</summary>
    Task<IReadOnlyDictionary<string, long>> OutcomeCountsAsync(string node, CancellationToken token);

    /// <summary>Puts a webhook delivery in the outbox, due at its NextAttemptAt.</summary>
    Task AddWebhookAsync(WebhookDelivery delivery, CancellationToken token);

    /// <summary>
    /// Claims the most overdue delivery that is due at <paramref name="now"/> and not claimed (or whose claim lapsed) for
    /// <paramref name="owner"/> until <paramref name="until"/>; null when none is due.
    /// </summary>
    Task<WebhookDelivery?> ClaimWebhookAsync(string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken token);

    /// <summary>Removes a delivery that was sent or given up.</summary>
    Task RemoveWebhookAsync(string id, CancellationToken token);

    /// <summary>Records a failed attempt and releases the claim; the delivery is due again at <paramref name="next"/>.</summary>
    Task RetryWebhookAsync(string id, int attempts, DateTimeOffset next, CancellationToken token);

    /// <summary>When the next delivery is due (claimed or not), or null when the outbox is empty.</summary>
    Task<DateTimeOffset?> NextWebhookDueAsync(CancellationToken token);
}
