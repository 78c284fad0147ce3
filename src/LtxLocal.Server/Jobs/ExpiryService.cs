using LtxLocal.Server.Storage;
using LtxLocal.Server.Sweeps;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Deletes expired jobs (row and files) every Ltx:ExpirySweepSeconds, then the sweeps none of whose cells is left. Reads
/// treat an expired job as gone even before the pass.
/// </summary>
public sealed class ExpiryService(
    IJobStore store, OutputStore storage, SweepExpiry sweeps, IOptions<ServerOptions> options, TimeProvider clock, ILogger<ExpiryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.ExpirySweepSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Expiry sweep failed");
                await Task.Delay(interval, CancellationToken.None);
            }
        }
    }

    public async Task SweepAsync(CancellationToken token)
    {
        foreach (var job in await store.ListExpiredAsync(clock.GetUtcNow(), token))
        {
            storage.DeleteJobFiles(job.Id);
            await store.DeleteAsync(job.Id, token);
            logger.LogDebug("Job {JobId} expired and was deleted", job.Id);
        }
        await sweeps.ExpireAsync(token);
    }
}
