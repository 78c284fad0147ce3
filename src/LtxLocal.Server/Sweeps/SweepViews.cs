using System.Collections.Concurrent;
using System.Text.Json;
using LtxLocal.Media;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// A sweep's view from its row and its cells' job rows. Quality is measured here, when asked for, for every cell that
/// has completed once the reference cell has (the reference first: the others' flicker is relative to its), and kept in
/// the store so each pair is measured once; one measurement at a time per sweep.
/// </summary>
public sealed class SweepViews(IJobStore jobs, ISweepStore sweeps, QualityMeter meter, ILogger<SweepViews> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _measuring = new();

    /// <summary>The stored sweep, or null when there is no sweep with that id.</summary>
    public async Task<(SweepRecord Record, StoredSweep Sweep)?> FindAsync(string id, CancellationToken token)
    {
        if (!Guid.TryParse(id, out var guid)) return null;
        var record = await sweeps.GetSweepAsync(guid.ToString(), token);
        return record is null ? null : (record, JsonSerializer.Deserialize(record.SpecJson, SweepJson.Default.StoredSweep)!);
    }

    /// <summary>The cells' job rows in grid order (null where the job has expired and was removed).</summary>
    public async Task<IReadOnlyList<JobRecord?>> JobsAsync(StoredSweep sweep, CancellationToken token)
    {
        var rows = new List<JobRecord?>(sweep.Cells.Count);
        foreach (var cell in sweep.Cells) rows.Add(await jobs.GetAsync(cell.JobId, token));
        return rows;
    }

    public async Task<SweepResponse> ViewAsync(SweepRecord record, StoredSweep sweep, bool measure, CancellationToken token)
    {
        var rows = await JobsAsync(sweep, token);
        var notes = new Dictionary<int, string>();
        var qualities = measure ? await MeasureAsync(record.Id, sweep, rows, notes, token) : await CachedAsync(record.Id, token);
        var reference = rows[sweep.ReferenceCell];
        var cells = sweep.Cells.Select(c => Cell(c, rows[c.Index], c.Index == sweep.ReferenceCell, qualities.GetValueOrDefault(c.Index),
            notes.GetValueOrDefault(c.Index) ?? QualityNote(rows[c.Index], reference))).ToList();
        var state = SweepStates.Of([.. cells.Select(c => c.Status)], record.CancelledAt is not null);
        return new SweepResponse(record.Id, "sweep", state, record.CreatedAt, record.CancelledAt, sweep.Kind, sweep.Cells.Count, sweep.Axes,
            sweep.ReferenceCell, sweep.ReferenceGiven, cells, SweepLegend.Entries, SweepLinks.For(record.Id));
    }

    private async Task<Dictionary<int, CellQuality>> CachedAsync(string id, CancellationToken token) =>
        (await sweeps.SweepQualityAsync(id, token)).ToDictionary(p => p.Key, p => JsonSerializer.Deserialize(p.Value, SweepJson.Default.CellQuality)!);

    private async Task<Dictionary<int, CellQuality>> MeasureAsync(string id, StoredSweep sweep, IReadOnlyList<JobRecord?> rows,
        Dictionary<int, string> notes, CancellationToken token)
    {
        var gate = _measuring.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(token);
        try
        {
            var done = await CachedAsync(id, token);
            var reference = rows[sweep.ReferenceCell];
            if (!Measurable(reference)) return done;
            var referenceResult = Result(reference!)!;
            var order = sweep.Cells.Select(c => c.Index).OrderBy(i => i == sweep.ReferenceCell ? 0 : 1);
            foreach (var index in order)
            {
                if (done.ContainsKey(index) || !Measurable(rows[index])) continue;
                try
                {
                    var quality = await MeasureCellAsync(rows[index]!, reference!, referenceResult, done.GetValueOrDefault(sweep.ReferenceCell), token);
                    await sweeps.SaveSweepQualityAsync(id, index, JsonSerializer.Serialize(quality, SweepJson.Default.CellQuality), token);
                    done[index] = quality;
                }
                catch (MediaException e)
                {
                    logger.LogWarning("Sweep {SweepId} cell {Cell}: quality not measured: {Message}", id, index, e.Message);
                    notes[index] = $"quality could not be measured: {e.Message}";
                    if (index == sweep.ReferenceCell) break; // the others are relative to it
                }
            }
            return done;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CellQuality> MeasureCellAsync(JobRecord cell, JobRecord reference, ResultDto referenceResult, CellQuality? referenceQuality,
        CancellationToken token)
    {
        var result = Result(cell)!;
        var (ssim, psnr) = await meter.CompareAsync(cell.OutputPath!, reference.OutputPath!, referenceResult.Width, referenceResult.Height, token);
        var flicker = await meter.FlickerAsync(cell.OutputPath!, token);
        var referenceFlicker = referenceQuality?.Flicker ?? flicker; // measuring the reference itself
        double? ratio = referenceFlicker > 0 ? Math.Round(flicker / referenceFlicker, 6) : null;
        var loudness = result.HasAudio ? await meter.LoudnessAsync(cell.OutputPath!, token) : null;
        return new CellQuality(reference.Id, ssim, psnr, psnr is null, Math.Round(flicker, 6), ratio, loudness);
    }

    /// <summary>Completed, with its file still on disk.</summary>
    private static bool Measurable(JobRecord? job) =>
        job is { Status: JobStatus.Completed, OutputPath: { } path } && File.Exists(path);

    private static string? QualityNote(JobRecord? cell, JobRecord? reference) => (cell, reference) switch
    {
        (null, _) => "the cell's job has expired",
        _ when Measurable(cell) && Measurable(reference) => null,
        ({ Status: JobStatus.Queued or JobStatus.Processing }, _) => "measured once this cell and the reference cell have completed",
        (_, null or { Status: JobStatus.Failed or JobStatus.Cancelled }) => "the reference cell did not complete: there is nothing to compare against",
        (_, { Status: JobStatus.Queued or JobStatus.Processing }) => "measured once the reference cell has completed",
        ({ Status: JobStatus.Completed }, _) => "an output file is no longer stored",
        _ => "the cell did not complete",
    };

    private static SweepCellView Cell(StoredSweepCell cell, JobRecord? job, bool isReference, CellQuality? quality, string? note)
    {
        if (job is null)
            return new SweepCellView(cell.Index, cell.JobId, SweepStates.Expired, isReference, cell.Values, null, null, null, null, null, null, null,
                quality, note, null);
        var stored = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        var result = Result(job);
        var steps = result?.Ran?.StageSteps;
        var perStage = new Dictionary<string, double>();
        if (result is not null && steps is not null)
            for (var s = 0; s < steps.Count; s++)
                if (steps[s] > 0 && result.Timings.TryGetValue(StageTiming(s), out var seconds)) perStage[StageTiming(s)] = Math.Round(seconds / steps[s], 6);
        double? perStep = null;
        if (result is not null && steps is not null && steps.Sum() > 0)
            perStep = Math.Round(Enumerable.Range(0, steps.Count).Sum(s => result.Timings.GetValueOrDefault(StageTiming(s))) / steps.Sum(), 6);
        return new SweepCellView(cell.Index, cell.JobId, job.Status, isReference, cell.Values, ParametersDto.From(stored.Request), steps,
            result?.Timings, perStep, result is null ? null : perStage, result?.PeakMemory, result?.Bytes, quality, quality is null ? note : null,
            job.ErrorType is null ? null : new ErrorDetail(job.ErrorType, job.ErrorMessage ?? ""));
    }

    /// <summary>The timing key of denoising stage <paramref name="stage"/> (0-based), as the pipelines lap them.</summary>
    private static string StageTiming(int stage) => stage == 0 ? "denoise" : $"denoise_stage{stage + 1}";

    private static ResultDto? Result(JobRecord job) =>
        job.ResultJson is null ? null : JsonSerializer.Deserialize(job.ResultJson, ApiJson.Default.ResultDto);
}
