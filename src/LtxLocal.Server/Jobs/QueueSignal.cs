namespace LtxLocal.Server.Jobs;

/// <summary>Wakes idle workers when a job is queued, instead of making them wait for their next poll.</summary>
public sealed class QueueSignal
{
    private readonly SemaphoreSlim _semaphore = new(0);

    public void Pulse(int jobs = 1) => _semaphore.Release(jobs);

    /// <summary>Returns after a pulse or the timeout; workers poll anyway, for jobs queued by other nodes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken token) => _semaphore.WaitAsync(timeout, token);
}

/// <summary>Cancellation handles of the jobs this process is running, so a cancel request reaches the worker at once.</summary>
public sealed class RunningJobs
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    public int Count => _running.Count;

    public void Add(string id, CancellationTokenSource cts) => _running[id] = cts;

    public void Remove(string id) => _running.TryRemove(id, out _);

    public void Cancel(string id)
    {
        if (_running.TryGetValue(id, out var cts)) cts.Cancel();
    }
}
