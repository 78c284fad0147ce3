using System.Collections.Concurrent;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Cancellation handles of the jobs this process is running, so a cancel request reaches the worker at
/// once, and the lease keeper knows which leases to renew. A job whose lease another node took is
/// cancelled with <see cref="LoseLease"/>: its worker then discards its output instead of cleaning up the job.
/// </summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<string, bool> _lost = new();
    private readonly ConcurrentDictionary<string, long> _hostBytes = new();

    public int Count => _running.Count;

    public IReadOnlyCollection<string> Ids => [.. _running.Keys];

    /// <summary>
    /// Host memory the running jobs' memory plans keep (their estimates' host bytes): the planner counts it as available
    /// to the next job, which runs after them, although the host's available memory does not show it now.
    /// </summary>
    public long HostBytes => _hostBytes.Values.Sum();

    public void Add(string id, CancellationTokenSource cts, long hostBytes = 0)
    {
        _running[id] = cts;
        _hostBytes[id] = hostBytes;
    }

    public void Remove(string id)
    {
        _running.TryRemove(id, out _);
        _lost.TryRemove(id, out _);
        _hostBytes.TryRemove(id, out _);
    }

    public void Cancel(string id)
    {
        if (_running.TryGetValue(id, out var cts)) cts.Cancel();
    }

    /// <summary>The job is no longer ours (cancelled elsewhere, or rescued after our lease expired): stop it.</summary>
    public void LoseLease(string id)
    {
        if (!_running.TryGetValue(id, out var cts)) return;
        _lost[id] = true;
        cts.Cancel();
    }

    public bool LeaseLost(string id) => _lost.ContainsKey(id);
}
