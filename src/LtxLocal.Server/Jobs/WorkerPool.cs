using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// One worker loop per device, each taking the oldest queued job (FIFO) and running it to the end.
/// On shutdown the running jobs see their token cancelled and go back to the queue.
/// </summary>
public sealed class WorkerPool(
    DeviceSelection devices, IJobStore store, JobRunner runner, QueueSignal signal, ClusterNode node,
    TimeProvider clock, ILogger<WorkerPool> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (devices.Devices.Count == 0) logger.LogWarning("No workers: {Problem}", devices.Problem);
        return Task.WhenAll(devices.Devices.Select(d => Task.Run(() => WorkAsync(d, stoppingToken), CancellationToken.None)));
    }

    private async Task WorkAsync(ComputeDevice device, CancellationToken stopping)
    {
        var worker = $"{node.Name}/{device}";
        logger.LogInformation("Worker {Worker} started", worker);
        using var generators = new GeneratorCache();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var job = await store.DequeueAsync(worker, node.Lease(clock.GetUtcNow()), stopping);
                if (job is null)
                {
                    await signal.WaitAsync(Poll, stopping);
                    continue;
                }
                await runner.RunAsync(job, device, generators, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The store itself failed (disk full, database down): keep the worker alive and retry.
                logger.LogError(e, "Worker {Worker}: queue error", worker);
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
        logger.LogInformation("Worker {Worker} stopped", worker);
    }
}
