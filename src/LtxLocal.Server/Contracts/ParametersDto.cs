using System.Text.Json.Serialization;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// The resolved request echoed in submission and status bodies: exactly what the worker runs. Steps, guidance and the
/// negative prompt are left out where the pipeline does not use them (distilled); <c>adjustments</c> names what was dropped.
/// <c>frame_images</c> lists each keyframe's resolved frame and strength, <c>loras</c> the LoRAs fused, in order.
/// </summary>
public sealed record ParametersDto(
    string Resolution, int Width, int Height, double Duration, double Fps, int NumFrames, long Seed, string Pipeline,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Steps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? GuidanceScale,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AudioGuidanceScale,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? StgScale,
    bool GenerateAudio, bool EnhancePrompt, string OutputFormat, int OutputQuality, string Prompt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NegativePrompt,
    int ConditioningImages, int ImageCrf, IReadOnlyList<FrameImageParameters> FrameImages, IReadOnlyList<RequestLora> Loras,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PlannedMemory? MemoryPlan = null)
{
    public static ParametersDto From(GenerationRequest r) => new(
        $"{r.Width}x{r.Height}", r.Width, r.Height, r.Duration, r.Fps, r.NumFrames, r.Seed, r.Pipeline, r.Steps,
        r.Guidance?.VideoScale, r.Guidance?.AudioScale, r.Guidance?.StgScale, r.GenerateAudio, r.EnhancePrompt, r.OutputFormat, r.OutputQuality,
        r.Prompt, r.NegativePrompt, r.Images.Count, r.ImageCrf,
        [.. r.Images.Where(i => i.Keyframe).Select(i => new FrameImageParameters(i.FrameIndex, i.Strength))], r.Loras, r.MemoryPlan);
}
