namespace LtxLocal.Server.Jobs;

/// <summary>
/// Every node, on a timer independent of progress (a long decode reports none): renews the leases of the
/// jobs this process runs and its heartbeat, stops the jobs whose lease is no longer ours (cancelled on
/// another node, or rescued after we stalled), and rescues the jobs of nodes that stopped renewing.
/// </summary>
public sealed class LeaseKeeper(
    IJobStore store, ClusterNode node, RunningJobs running, QueueSignal signal, IOptions<ServerOptions> options,
    TimeProvider clock, ILogger<LeaseKeeper> logger) : BackgroundService
{
    private long _beats;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(node.RenewEvery, clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable: the leases may lapse, and another node then takes the jobs back.
                logger.LogWarning(e, "Lease renewal failed; retrying in {Seconds} s", node.RenewEvery.TotalSeconds);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One renewal round; public so tests can drive it without waiting for the timer.</summary>
    public async Task BeatAsync(CancellationToken token)
    {
        // Renewal first: on a slow database it is the write that must not lag.
        var now = clock.GetUtcNow();
        var mine = running.Ids;
        var held = await store.RenewLeasesAsync(node.Lease(now), mine, token);
        await store.HeartbeatAsync(node.Record, now, token);
        foreach (var id in mine.Where(id => !held.Contains(id)))
        {
            logger.LogWarning("Job {JobId} is no longer leased to this node (cancelled, or taken back by another node); stopping it", id);
            running.LoseLease(id);
        }

        var o = options.Value;
        var failure = new JobEnd(JobStatus.Failed, now, now + o.ResultTtl, ErrorType: "interrupted");
        var rescued = await store.RescueExpiredAsync(now, o.MaxAttempts, failure, token);
        foreach (var job in rescued)
        {
            logger.LogWarning("Job {JobId} {Outcome}: its node ({Worker}) stopped renewing its lease", job.Id,
                job.Failed ? "failed" : "returned to the queue", job.Worker ?? "unknown");
        }
        var requeued = rescued.Count(j => !j.Failed);
        if (requeued > 0) signal.Pulse(requeued);
        if (++_beats % 60 == 0) await store.ForgetNodesAsync([], now - TimeSpan.FromHours(1), token);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await store.ForgetNodesAsync([node.Id], DateTimeOffset.MinValue, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not remove node {Node} from the nodes table; it drops out of /ready once its heartbeat is old", node.Id);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
