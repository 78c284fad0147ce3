using LtxLocal.Media;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// Everything a worker needs to run a job, stored with the job row so a restart loses nothing.
/// Images are files under DataDir/inputs, already validated at submission.
/// </summary>
public sealed record JobSpec(
    string ModelId, string Pipeline, string Prompt, string? NegativePrompt,
    int Width, int Height, double Duration, double Fps, int NumFrames, long Seed,
    int? Steps, double? GuidanceScale, bool GenerateAudio, bool EnhancePrompt,
    string OutputFormat, int OutputQuality, IReadOnlyList<JobImage> Images,
    string? WebhookUrl, string? UploadUrl)
{
    public OutputFormat Format => OutputFormats.TryParse(OutputFormat, out var f) ? f : Media.OutputFormat.Mp4;

    public ParametersDto ToParameters() => new(
        $"{Width}x{Height}", Width, Height, Duration, Fps, NumFrames, Seed, Pipeline, Steps, GuidanceScale,
        GenerateAudio, EnhancePrompt, OutputFormat, OutputQuality, Prompt, NegativePrompt, Images.Count);
}

/// <summary>A stored conditioning image and the output frame it pins.</summary>
public sealed record JobImage(string File, int FrameIndex, int Width, int Height);
