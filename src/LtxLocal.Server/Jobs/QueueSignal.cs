namespace LtxLocal.Server.Jobs;

/// <summary>Wakes idle workers when a job is queued, instead of making them wait for their next poll.</summary>
public sealed class QueueSignal
{
    private readonly SemaphoreSlim _semaphore = new(0);

    public void Pulse(int jobs = 1) => _semaphore.Release(jobs);

    /// <summary>Returns after a pulse or the timeout; workers poll anyway, for jobs queued by other nodes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken token) => _semaphore.WaitAsync(timeout, token);
}
