namespace LtxLocal.Inference.Requests;

/// <summary>
/// What a caller asked for, field by field, each well-formed but not yet checked against a model: null means "not
/// given", and <see cref="GenerationResolver"/> fills it in. The server builds one from a request body, the CLI from its
/// options.
/// </summary>
public sealed record GenerationAsk(string Prompt)
{
    public string? NegativePrompt { get; init; }
    public string? Pipeline { get; init; }
    public (int Width, int Height)? Resolution { get; init; }
    public double? Duration { get; init; }
    public double? Fps { get; init; }
    public long? Seed { get; init; }
    public long? Steps { get; init; }
    public double? GuidanceScale { get; init; }
    /// <summary>Spatio-temporal guidance on video (guided pipelines); null: the generation's.</summary>
    public double? StgScale { get; init; }
    public bool? GenerateAudio { get; init; }
    public bool EnhancePrompt { get; init; }
    public string? OutputFormat { get; init; }
    public long? OutputQuality { get; init; }

    /// <summary>The image of image-to-video: it pins frame 0 and, without a resolution, gives the video its size.</summary>
    public ImageAsk? Image { get; init; }

    /// <summary>Keyframes: "first", "last" or a frame index each.</summary>
    public IReadOnlyList<ImageAsk> Keyframes { get; init; } = [];

    /// <summary>audio-to-video, retake, extend: the media the request starts from (see <see cref="RequestSource"/>).</summary>
    public RequestSource? Source { get; init; }

    /// <summary>LoRAs from the model folder's <c>loras/</c>, fused for the job in this order.</summary>
    public IReadOnlyList<RequestLora> Loras { get; init; } = [];
}
