using LtxLocal.Media;
using LtxLocal.Server.Auth;
using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// Runs before the workers: checks ffmpeg (a missing install stops the server with a clear
/// message), prepares the data directory and API keys, opens (migrates) the job store, joins the
/// nodes sharing it after checking the outputs folder is shared with them, and recovers the jobs a
/// crash left running.
/// </summary>
public sealed class StartupService(
    IServiceProvider services, OutputStore storage, IJobStore store, LtxLocal.Server.Health.JobOutcomes outcomes, ApiKeys keys, ClusterNode node, SharedOutputs shared,
    IOptions<ServerOptions> options, TimeProvider clock, ILogger<StartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ffmpeg = services.GetRequiredService<FfmpegTools>(); // Locate() throws MediaException when ffmpeg is missing
        logger.LogInformation("Using {Ffmpeg}", ffmpeg.Version);
        var o = options.Value;
        FilePermissions.RestrictUmask();
        storage.EnsureDirectories();
        keys.Load();
        await store.InitializeAsync(cancellationToken);
        await outcomes.RestoreAsync(cancellationToken); // /metrics job counters continue from this node's stored totals
        await JoinAsync(cancellationToken);
        var database = Path.Combine(o.FullDataDir, "jobs.db");
        FilePermissions.PrivateFiles(database, database + "-wal", database + "-shm", database + "-journal");
        var orphans = await storage.SweepOrphansAsync(async (id, token) => await store.GetAsync(id, token) is not null,
            o.Store == "postgres" ? TimeSpan.FromMinutes(10) : TimeSpan.Zero, cancellationToken);
        if (orphans > 0) logger.LogWarning("Removed {Count} input/output files that belonged to no job", orphans);

        var now = clock.GetUtcNow();
        var failure = new JobEnd(JobStatus.Failed, now, now + o.ResultTtl, ErrorType: "interrupted",
            ErrorMessage: $"the server stopped while this job was running, {o.MaxAttempts} times; it is not retried again (check the server log for a crash, e.g. out of GPU memory)");
        var (requeued, failed) = await store.RecoverInterruptedAsync(node.Name, o.MaxAttempts, failure, cancellationToken);
        if (requeued + failed > 0) logger.LogWarning("Recovered interrupted jobs: {Requeued} re-queued, {Failed} failed", requeued, failed);
        logger.LogInformation("Data directory {DataDir}, models directory {ModelsDir}", o.FullDataDir, Path.GetFullPath(o.ModelsDir));
    }

    /// <summary>Marker first, then the nodes row: whoever sees our row can already see our marker.</summary>
    private async Task JoinAsync(CancellationToken token)
    {
        await shared.WriteMarkerAsync(token);
        var now = clock.GetUtcNow();
        await store.HeartbeatAsync(node.Record, now, token);
        var live = await store.ListNodesAsync(now - node.LeaseExpiry, token);
        if (shared.Problem(live) is { } problem) throw new InvalidOperationException(problem);
        logger.LogInformation("Node {Node} joined the queue; live nodes: {Nodes}", node.Id, string.Join(", ", live.Select(n => n.Id)));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        shared.RemoveMarker();
        return Task.CompletedTask;
    }
}
