using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using LtxLocal.Media;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// Measures a sweep's cells against its reference cell in the background, one sweep at a time: ffmpeg decodes whole
/// videos, and a 64-cell grid of 1080p clips takes minutes, which no HTTP request should hold. A pass is asked for by
/// the views (<see cref="RequestAsync"/>); it measures every completed cell not measured yet, the reference first (the
/// others' flicker is relative to its), and keeps each result in the store, so each pair is measured once whichever
/// node asks. A cell ffmpeg cannot measure is noted here and not retried until the server restarts.
/// </summary>
public sealed class SweepMeasurer(IJobStore jobs, ISweepStore sweeps, QualityMeter meter, ILogger<SweepMeasurer> logger) : BackgroundService
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _asked = new();
    private readonly ConcurrentDictionary<(string Sweep, int Cell), string> _failures = new();

    /// <summary>
    /// Queues a pass over the sweep (unless one is already queued) and returns a task that completes when that pass has
    /// ended, whatever its outcome; callers wait on it as long as they care to.
    /// </summary>
    public Task RequestAsync(string id)
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pass = _asked.GetOrAdd(id, fresh);
        if (pass == fresh) _queue.Writer.TryWrite(id);
        return pass.Task;
    }

    /// <summary>Why a cell has no quality numbers although it and the reference completed, when a pass failed on it.</summary>
    public string? FailureOf(string id, int cell) => _failures.GetValueOrDefault((id, cell));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                // Taken out before the pass: a request arriving during it queues the next pass, which sees the cells
                // that completed meanwhile.
                _asked.TryRemove(id, out var pass);
                try
                {
                    await PassAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Sweep {SweepId}: quality pass failed", id);
                }
                finally
                {
                    pass?.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: queued passes are asked for again by the next request after the restart
        }
        foreach (var pass in _asked.Values) pass.TrySetResult();
    }

    private async Task PassAsync(string id, CancellationToken token)
    {
        var record = await sweeps.GetSweepAsync(id, token);
        if (record is null) return;
        var sweep = JsonSerializer.Deserialize(record.SpecJson, SweepJson.Default.StoredSweep)!;
        var rows = await jobs.CellJobsAsync(sweep, token);
        var reference = rows[sweep.ReferenceCell];
        if (!Measurable(reference)) return;
        var done = (await sweeps.SweepQualityAsync(id, token)).ToDictionary(p => p.Key, p => JsonSerializer.Deserialize(p.Value, SweepJson.Default.CellQuality)!);
        if (_failures.ContainsKey((id, sweep.ReferenceCell))) return; // the others are relative to it
        var referenceResult = Result(reference!)!;
        foreach (var index in sweep.Cells.Select(c => c.Index).OrderBy(i => i == sweep.ReferenceCell ? 0 : 1))
        {
            if (done.ContainsKey(index) || _failures.ContainsKey((id, index)) || !Measurable(rows[index])) continue;
            try
            {
                var quality = await MeasureCellAsync(rows[index]!, reference!, referenceResult, done.GetValueOrDefault(sweep.ReferenceCell), token);
                await sweeps.SaveSweepQualityAsync(id, index, JsonSerializer.Serialize(quality, SweepJson.Default.CellQuality), token);
                done[index] = quality;
            }
            catch (MediaException e)
            {
                logger.LogWarning("Sweep {SweepId} cell {Cell}: quality not measured: {Message}", id, index, e.Message);
                _failures[(id, index)] = $"quality could not be measured: {e.Message}";
                if (index == sweep.ReferenceCell) return;
            }
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
    public static bool Measurable(JobRecord? job) =>
        job is { Status: JobStatus.Completed, OutputPath: { } path } && File.Exists(path);

    public static ResultDto? Result(JobRecord job) =>
        job.ResultJson is null ? null : JsonSerializer.Deserialize(job.ResultJson, ApiJson.Default.ResultDto);
}
