using System.Diagnostics;
using LtxLocal.Inference;

namespace LtxLocal.Server.Health;

/// <summary>
/// Passes a generator's progress on and times its denoising steps for /metrics: each report of step n+1 right after step n
/// (same stage) is one step's duration. The first step of a stage has no start mark and is not timed.
/// </summary>
public sealed class StepTimer(IProgress<GenerationProgress> inner, ServerMetrics metrics) : IProgress<GenerationProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private (string Stage, int Step)? _last;

    public void Report(GenerationProgress value)
    {
        if (value.Stage.StartsWith("denoising", StringComparison.Ordinal))
        {
            if (_last is { } last && last.Stage == value.Stage && value.Step == last.Step + 1) metrics.DenoisingStep(_clock.Elapsed.TotalSeconds);
            _last = (value.Stage, value.Step);
            _clock.Restart();
        }
        else _last = null;
        inner.Report(value);
    }
}
