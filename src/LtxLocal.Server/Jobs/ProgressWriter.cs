using System.Text.Json;
using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Stores a running job's progress, at most every 100 ms unless the stage changes, and notices when
/// the row says the job is no longer processing under this node's lease (cancelled, possibly on another
/// node, or taken back by a rescuer): it then calls <paramref name="lost"/>, which cancels the job's token
/// so the generator stops at its next step.
/// </summary>
public sealed class ProgressWriter(IJobStore store, string jobId, string owner, Action lost, TimeProvider clock, ILogger logger)
    : IProgress<GenerationProgress>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private string? _lastStage;
    private double _fraction;
    private Task _pending = Task.CompletedTask;

    public void Report(GenerationProgress value)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (value.Stage == _lastStage && now - _lastWrite < MinInterval) return;
            _lastStage = value.Stage;
            _lastWrite = now;
            // Progress only moves forward, whatever a generator reports.
            _fraction = Math.Max(_fraction, Math.Round(Math.Clamp(value.Fraction, 0, 1), 4));
            var dto = new ProgressDto(value.Stage, value.Step, value.TotalSteps, _fraction);
            var json = JsonSerializer.Serialize(dto, ApiJson.Default.ProgressDto);
            _pending = _pending.ContinueWith(_ => WriteAsync(json, now)).Unwrap();
        }
    }

    /// <summary>Waits for the writes already started, so the final state is not overtaken by a late progress row.</summary>
    public Task FlushAsync()
    {
        lock (_lock) return _pending;
    }

    private async Task WriteAsync(string json, DateTimeOffset now)
    {
        try
        {
            if (!await store.UpdateProgressAsync(jobId, owner, json, now, CancellationToken.None)) lost();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not store progress of job {JobId}", jobId);
        }
    }
}
