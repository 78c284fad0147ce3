namespace LtxLocal.Server.Health;

/// <summary>
/// How jobs ended, counted twice: in the /metrics counters and in the job store under this node's name, from which the
/// counters start again after a restart (rows expire; these totals do not).
/// </summary>
public sealed class JobOutcomes(ServerMetrics metrics, IJobStore store, ClusterNode node, ILogger<JobOutcomes> logger)
{
    public Task CompletedAsync(string pipeline, double runSeconds)
    {
        metrics.Completed(pipeline, runSeconds);
        return PersistAsync(JobStatus.Completed);
    }

    public Task FailedAsync()
    {
        metrics.Failed();
        return PersistAsync(JobStatus.Failed);
    }

    public Task CancelledAsync()
    {
        metrics.Cancelled();
        return PersistAsync(JobStatus.Cancelled);
    }

    /// <summary>At start-up, after the store is ready: the counters continue from the stored totals.</summary>
    public async Task RestoreAsync(CancellationToken token) => metrics.RestoreOutcomes(await store.OutcomeCountsAsync(node.Name, token));

    private async Task PersistAsync(string outcome)
    {
        try
        {
            await store.CountOutcomeAsync(node.Name, outcome, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The job itself has ended and is recorded; only the restart-proof total misses one.
            logger.LogWarning("Could not count a {Outcome} job in the store: {Message}", outcome, e.Message);
        }
    }
}
