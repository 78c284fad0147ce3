using System.Text.Json;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// Removes a sweep once none of its cells' jobs is left (each expired by its retention, or was deleted): its row, its
/// cached quality and its folder under DataDir/sweeps (the contact sheet). Until then its GET shows the gone cells as
/// <c>expired</c>; after it, the sweep is a 404 like an expired job. Run by the expiry service on each of its passes.
/// </summary>
public sealed class SweepExpiry(ISweepStore sweeps, IOptions<ServerOptions> options, TimeProvider clock, ILogger<SweepExpiry> logger)
{
    public async Task ExpireAsync(CancellationToken token)
    {
        foreach (var record in await sweeps.ListSweepsAsync(clock.GetUtcNow(), token))
        {
            var sweep = JsonSerializer.Deserialize(record.SpecJson, SweepJson.Default.StoredSweep)!;
            if (await sweeps.CountJobsAsync([.. sweep.Cells.Select(c => c.JobId)], token) > 0) continue;
            DeleteFolder(record.Id);
            await sweeps.DeleteSweepAsync(record.Id, token);
            logger.LogDebug("Sweep {SweepId}: every cell's job is gone; the sweep was deleted", record.Id);
        }
    }

    private void DeleteFolder(string id)
    {
        var folder = SweepFolder.Of(options.Value, id);
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            // another node deleting the same shared folder, or a file still open: the row goes, the next pass cannot see it
            logger.LogWarning("Sweep {SweepId}: its folder was not deleted: {Message}", id, e.Message);
        }
    }
}
