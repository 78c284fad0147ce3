using System.Text.Json;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// A sweep's view from its row and its cells' job rows, with the quality numbers measured so far. When asked to measure,
/// it asks <see cref="SweepMeasurer"/> for a pass and waits for it up to Ltx:SweepMeasureWaitSeconds: a small grid comes
/// back measured, a large one comes back with what is measured and the rest noted as being measured.
/// </summary>
public sealed class SweepViews(IJobStore jobs, ISweepStore sweeps, SweepMeasurer measurer, IOptions<ServerOptions> options)
{
    /// <summary>The stored sweep, or null when there is no sweep with that id.</summary>
    public async Task<(SweepRecord Record, StoredSweep Sweep)?> FindAsync(string id, CancellationToken token)
    {
        if (!Guid.TryParse(id, out var guid)) return null;
        var record = await sweeps.GetSweepAsync(guid.ToString(), token);
        return record is null ? null : (record, JsonSerializer.Deserialize(record.SpecJson, SweepJson.Default.StoredSweep)!);
    }

    /// <summary>The cells' job rows in grid order (null where the job has expired and was removed).</summary>
    public Task<IReadOnlyList<JobRecord?>> JobsAsync(StoredSweep sweep, CancellationToken token) => jobs.CellJobsAsync(sweep, token);

    public async Task<SweepResponse> ViewAsync(SweepRecord record, StoredSweep sweep, bool measure, CancellationToken token)
    {
        if (measure) await WaitForPassAsync(record.Id, token);
        var rows = await JobsAsync(sweep, token);
        var qualities = (await sweeps.SweepQualityAsync(record.Id, token))
            .ToDictionary(p => p.Key, p => JsonSerializer.Deserialize(p.Value, SweepJson.Default.CellQuality)!);
        var reference = rows[sweep.ReferenceCell];
        var referenceFailure = measurer.FailureOf(record.Id, sweep.ReferenceCell) is { } failed ? $"the reference cell's {failed}" : null;
        var cells = sweep.Cells.Select(c => Cell(c, rows[c.Index], c.Index == sweep.ReferenceCell, qualities.GetValueOrDefault(c.Index),
            measurer.FailureOf(record.Id, c.Index) ?? referenceFailure ?? QualityNote(rows[c.Index], reference))).ToList();
        var state = SweepStates.Of([.. cells.Select(c => c.Status)], record.CancelledAt is not null);
        return new SweepResponse(record.Id, "sweep", state, record.CreatedAt, record.CancelledAt, sweep.Kind, sweep.Cells.Count, sweep.Axes,
            sweep.ReferenceCell, sweep.ReferenceGiven, cells, SweepLegend.Entries, SweepLinks.For(record.Id));
    }

    private async Task WaitForPassAsync(string id, CancellationToken token)
    {
        var pass = measurer.RequestAsync(id);
        var wait = TimeSpan.FromSeconds(options.Value.SweepMeasureWaitSeconds);
        if (wait > TimeSpan.Zero && !pass.IsCompleted) await Task.WhenAny(pass, Task.Delay(wait, token));
        token.ThrowIfCancellationRequested();
    }

    private static string? QualityNote(JobRecord? cell, JobRecord? reference) => (cell, reference) switch
    {
        (null, _) => "the cell's job has expired",
        _ when Measurable(cell) && Measurable(reference) => "being measured in the background: ask again shortly",
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

    private static bool Measurable(JobRecord? job) => SweepMeasurer.Measurable(job);

    /// <summary>The timing key of denoising stage <paramref name="stage"/> (0-based), as the pipelines lap them.</summary>
    private static string StageTiming(int stage) => stage == 0 ? "denoise" : $"denoise_stage{stage + 1}";

    private static ResultDto? Result(JobRecord job) => SweepMeasurer.Result(job);
}
