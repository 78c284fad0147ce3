namespace LtxLocal.Inference;

/// <summary>
/// The fully resolved parameters of one video: what the planner decided, after every adjustment.
/// Sizes are final here; a generator never re-snaps them.
/// </summary>
public sealed record GenerationRequest(
    string ModelId,
    string Pipeline,
    string Prompt,
    string? NegativePrompt,
    int Width,
    int Height,
    int NumFrames,
    double Fps,
    long Seed,
    int? Steps,
    double? GuidanceScale,
    bool GenerateAudio,
    bool EnhancePrompt,
    IReadOnlyList<ConditioningImage> Images);

/// <summary>
/// A decoded conditioning image: tightly packed RGB24 rows (Width * Height * 3 bytes), placed at
/// <see cref="FrameIndex"/> of the output (0 for image-to-video; keyframes elsewhere), held with
/// <see cref="Strength"/> in [0, 1] (ImageConditioningInput.strength: its tokens get denoise mask 1 − strength, so 1
/// keeps the image as given and 0 only hints at it).
/// </summary>
public sealed record ConditioningImage(byte[] Rgb, int Width, int Height, int FrameIndex, double Strength = 1.0)
{
    public double Strength { get; } = Strength is >= 0 and <= 1 ? Strength
        : throw new ArgumentOutOfRangeException(nameof(Strength), Strength, "image conditioning strength must be between 0 and 1");
}

/// <summary>The size of a planned video, as the VRAM estimator sees it.</summary>
public sealed record GenerationShape(string ModelId, string Pipeline, int Width, int Height, int NumFrames, bool GenerateAudio);

/// <summary>
/// What a generator reports when it is done (timings go into the job's result), and the prompt it encoded when
/// enhance_prompt rewrote the request's.
/// </summary>
public sealed record GenerationOutcome(IReadOnlyDictionary<string, double> TimingsSeconds, string? EnhancedPrompt = null);
