namespace LtxLocal.Inference.Requests;

/// <summary>
/// One generation with every default resolved (<see cref="GenerationResolver"/>): what the job row stores, what the worker
/// runs and what <c>parameters</c> echoes. Fields a pipeline does not use are null here (distilled: steps, guidance,
/// negative prompt), so nothing is echoed that did not run. Sizes are final; a generator never re-snaps them.
/// </summary>
public sealed record GenerationRequest(
    string ModelId,
    string Pipeline,
    string Prompt,
    string? NegativePrompt,
    int Width,
    int Height,
    double Duration,
    int NumFrames,
    double Fps,
    long Seed,
    int? Steps,
    GuidanceScales? Guidance,
    bool GenerateAudio,
    bool EnhancePrompt,
    int ImageCrf,
    string OutputFormat,
    int OutputQuality,
    IReadOnlyList<RequestImage> Images)
{
    /// <summary>Whether an image conditions the video (enhancement then uses the image-to-video system prompt).</summary>
    public bool TextToVideo => Images.Count == 0;

    /// <summary>The LoRAs fused into the transformer for this job, in order (none: the checkpoint's weights).</summary>
    public IReadOnlyList<RequestLora> Loras { get; init; } = [];

    public GenerationShape Shape => new(ModelId, Pipeline, Width, Height, NumFrames, GenerateAudio);
}
