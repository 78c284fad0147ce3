namespace LtxLocal.Inference.Requests;

/// <summary>
/// What a generator reports when it is done: timings (into the job's result), what it actually ran (<see cref="Ran"/>),
/// and the prompt it encoded when enhance_prompt rewrote the request's.
/// </summary>
public sealed record GenerationOutcome(IReadOnlyDictionary<string, double> TimingsSeconds, RanSettings? Ran = null, string? EnhancedPrompt = null)
{
    /// <summary>The generation's peak device memory, when the generator measures it.</summary>
    public PeakMemory? PeakMemory { get; init; }
}

/// <summary>
/// The settings the denoising loops really used, counted while they ran: steps per stage (sigmas - 1), and the CFG
/// scales of the guider that was built (null for unguided pipelines).
/// </summary>
public sealed record RanSettings(string Pipeline, IReadOnlyList<int> StageSteps, double? VideoGuidanceScale, double? AudioGuidanceScale);
