using System.Collections.Concurrent;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// Keeps each sweep's contact sheet under DataDir/sweeps/{id}/: drawn again on request while cells are still running,
/// drawn once and then served from disk when the sweep has ended.
/// </summary>
public sealed class SweepSheets(ContactSheet sheet, SweepViews views, IOptions<ServerOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _drawing = new();

    /// <summary>The sheet's pixel size for this sweep (<see cref="ContactSheet"/> gives the formula).</summary>
    public static (int Width, int Height) Size(SweepResponse sweep) => ContactSheet.Size(sweep.CellCount, Tile(sweep));

    /// <summary>Tiles follow the reference cell's output size (else the first cell that has parameters).</summary>
    public static (int Width, int Height) Tile(SweepResponse sweep)
    {
        var parameters = sweep.Cells[sweep.ReferenceCell].Parameters ?? sweep.Cells.Select(c => c.Parameters).FirstOrDefault(p => p is not null);
        return parameters is null ? (ContactSheet.MaxTileSide, ContactSheet.MaxTileSide) : ContactSheet.Tile(parameters.Width, parameters.Height);
    }

    /// <summary>The path of the sweep's current contact sheet, drawn first when needed.</summary>
    public async Task<string> PathAsync(SweepResponse view, StoredSweep sweep, CancellationToken token)
    {
        var folder = SweepFolder.Of(options.Value, view.Id);
        var path = Path.Combine(folder, "contact-sheet.png");
        var ended = view.Status is not (SweepStates.Queued or SweepStates.Running);
        var gate = _drawing.GetOrAdd(view.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(token);
        try
        {
            if (ended && File.Exists(path)) return path;
            Directory.CreateDirectory(folder);
            var rows = await views.JobsAsync(sweep, token);
            var cells = rows.Select((job, i) => (job is { Status: JobStatus.Completed } ? job.OutputPath : null, view.Cells[i].Parameters?.NumFrames ?? 0)).ToList();
            await sheet.DrawAsync(cells, Tile(view), path, token);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }
}
