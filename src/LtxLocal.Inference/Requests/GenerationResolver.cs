using System.Text.Json.Nodes;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Media;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// Turns what was asked into the one <see cref="GenerationRequest"/> that is stored, run and echoed: every default
/// resolved against the model's generation (<see cref="GenerationParams"/>) and the pipeline, each value checked once
/// (a refusal is an <see cref="InvalidGenerationException"/>), and api.md's "never reject, adjust" rules applied in their
/// order: snap the resolution to the pipeline's multiple, scale it into the maximum, clamp the duration to 4-10 s with
/// an 8k+1 frame count, drop what the pipeline does not use, then shrink resolution and duration until the estimated peak
/// memory fits. The server and the CLI both call it, so they accept, refuse and adjust the same things.
/// </summary>
public sealed class GenerationResolver(ResolverLimits limits, IGenerationMemory? memory = null)
{
    public const double MinDuration = 4, MaxDuration = 10, DefaultDuration = 5, DefaultFps = 25;
    public const int DefaultWidth = 1280, DefaultHeight = 704, MinShortSide = 512;
    public const int DefaultOutputQuality = 95, MaxSteps = 100;
    public const double MaxGuidanceScale = 20;
    public static readonly double[] FrameRates = [24, 25, 48, 50];

    /// <summary>The 8k+1 frame count nearest to duration*fps; a tie goes down so the video never runs long.</summary>
    public static int FrameCount(double duration, double fps) =>
        8 * Math.Max(1, (int)Math.Ceiling((duration * fps - 1) / 8.0 - 0.5)) + 1;

    public ResolvedGeneration Resolve(GenerationAsk ask, ModelDescriptor model)
    {
        var adjustments = new List<Adjustment>();
        CheckAsk(ask);
        var pipeline = CheckPipeline(ask.Pipeline, model);
        var loras = CheckLoras(ask.Loras, model);
        // A retake or an extension runs on the source's clip: its frame rate and frame count, not the request's.
        var edit = ask.Source is { Task: SourceTasks.Retake or SourceTasks.Extend } ? ask.Source : null;
        var fps = edit is null ? ask.Fps ?? DefaultFps : SourceClips.Fps(edit, adjustments);
        var format = ask.OutputFormat ?? "mp4";
        var quality = ask.OutputQuality ?? DefaultOutputQuality;
        var generation = GenerationParams.For(model.ModelVersion);
        var (steps, guidance, negative) = PipelineSettings(ask, pipeline, generation, adjustments);
        // Audio-to-video always runs the two-stage recipe: stage 1 at half size must stay on the 32-pixel grid.
        var multiple = ask.Source?.Task == SourceTasks.AudioToVideo ? 64 : PipelineNames.Multiple(pipeline);
        var (w, h) = Size(ask, pipeline, multiple, adjustments);
        var (editFrames, source) = edit is null ? (0, ask.Source) : SourceClips.Plan(edit, fps, adjustments);
        var requestedDuration = ask.Duration ?? DefaultDuration;
        var duration = edit is null ? Math.Clamp(requestedDuration, MinDuration, MaxDuration) : editFrames / fps;
        if (edit is null && duration != requestedDuration)
            adjustments.Add(new("duration", JsonValue.Create(requestedDuration), JsonValue.Create(duration), $"duration must be {MinDuration}-{MaxDuration} seconds"));

        var textToVideo = ask.Image is null && ask.Keyframes.Count == 0;
        var whyNotEnhance = (model.Enhancement ?? PromptEnhancement.Unsupported($"model '{model.Id}' cannot rewrite prompts")).WhyNot(textToVideo);
        var enhance = ask.EnhancePrompt && whyNotEnhance is null;
        if (ask.EnhancePrompt && !enhance) adjustments.Add(new("enhance_prompt", JsonValue.Create(true), JsonValue.Create(false), whyNotEnhance!));

        if (ask.Source?.Task == SourceTasks.AudioToVideo && !model.HasAudio)
            throw Invalid($"model '{model.Id}' has no audio stream; audio-to-video needs one");
        var audio = (ask.GenerateAudio ?? true) && model.HasAudio;
        var (estimate, plan) = FitMemory(model.Id, pipeline, fps, audio, multiple, ref w, ref h, ref duration, adjustments, fixedDuration: edit is not null);
        var frames = edit is null ? FrameCount(duration, fps) : editFrames;
        var request = new GenerationRequest(model.Id, pipeline, ask.Prompt, negative, w, h, duration, frames, fps,
            ask.Seed ?? Random.Shared.NextInt64(0, 1L << 32), steps, guidance, audio, enhance, generation.ImageCrf, format, (int)quality,
            PlaceImages(ask, frames, adjustments)) { Source = source, Loras = loras, MemoryPlan = plan };
        return new ResolvedGeneration(request, adjustments, estimate);
    }

    /// <summary>
    /// Refuses the values no model could take (a frame rate, format, quality, step count, guidance scale, seed or pipeline
    /// name outside its rule), so a caller can check them before it knows whether a model is there.
    /// </summary>
    public static void CheckAsk(GenerationAsk ask)
    {
        if (ask.Pipeline is { } p && !PipelineNames.All.Contains(p)) throw Invalid($"'pipeline' must be one of {string.Join(", ", PipelineNames.All)}");
        if (ask.Fps is { } fps && !FrameRates.Contains(fps)) throw Invalid("'fps' must be 25 or 50 (24 and 48 are also accepted)");
        if (ask.OutputFormat is { } format && !OutputFormats.TryParse(format, out _)) throw Invalid("'output_format' must be mp4, webm or mov");
        if (ask.OutputQuality is { } quality && quality is < QualityCurve.MinQuality or > QualityCurve.MaxQuality)
            throw Invalid($"'output_quality' must be an integer from {QualityCurve.MinQuality} to {QualityCurve.MaxQuality}");
        if (ask.Steps is { } steps && steps is < 1 or > MaxSteps) throw Invalid($"'steps' must be an integer from 1 to {MaxSteps}");
        if (ask.GuidanceScale is { } g && (double.IsNaN(g) || g < 1 || g > MaxGuidanceScale)) throw Invalid($"'guidance_scale' must be a number between 1 and {MaxGuidanceScale}");
        if (ask.StgScale is { } stg && (double.IsNaN(stg) || stg < 0 || stg > MaxGuidanceScale)) throw Invalid($"'stg_scale' must be a number between 0 and {MaxGuidanceScale}");
        if (ask.Seed is { } seed && seed is < 0 or > uint.MaxValue) throw Invalid($"'seed' must be an integer from 0 to {uint.MaxValue}");
        for (var i = 0; i < ask.Keyframes.Count; i++) CheckImageStrength(ask.Keyframes[i].Strength, $"frame_images[{i}].strength");
        CheckLoraShapes(ask.Loras);
    }

    /// <summary>A conditioning image's strength must lie in [0, 1] (ImageConditioningInput.strength).</summary>
    public static void CheckImageStrength(double strength, string field)
    {
        if (double.IsNaN(strength) || strength is < 0 or > 1) throw Invalid($"'{field}' must be a number between 0 and 1");
    }

    /// <summary>At most <see cref="RequestLora.MaxPerRequest"/> LoRAs, each a plain file name (no path) once, each strength in range.</summary>
    public static void CheckLoraShapes(IReadOnlyList<RequestLora> loras)
    {
        if (loras.Count > RequestLora.MaxPerRequest) throw Invalid($"'loras' takes at most {RequestLora.MaxPerRequest} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < loras.Count; i++)
        {
            var (name, strength) = (loras[i].Name, loras[i].Strength);
            if (!LoraFolder.IsPlainName(name))
                throw Invalid($"'loras[{i}].name' must be the name of a file in the model's loras/ folder (as GET /v1/models lists it), not a path");
            if (!seen.Add(LoraFolder.Normalise(name))) throw Invalid($"'loras[{i}].name': LoRA '{name}' is listed twice");
            if (double.IsNaN(strength) || strength is < RequestLora.MinStrength or > RequestLora.MaxStrength)
                throw Invalid($"'loras[{i}].strength' must be a number between {RequestLora.MinStrength} and {RequestLora.MaxStrength}");
        }
    }

    /// <summary>
    /// The asked LoRAs as the model's <c>loras/</c> names them (names normalised, strengths kept): an unknown name is refused
    /// with the names there are, a LoRA that does not fit the transformer with why.
    /// </summary>
    public static IReadOnlyList<RequestLora> CheckLoras(IReadOnlyList<RequestLora> loras, ModelDescriptor model)
    {
        CheckLoraShapes(loras);
        var resolved = new List<RequestLora>(loras.Count);
        for (var i = 0; i < loras.Count; i++)
        {
            var name = LoraFolder.Normalise(loras[i].Name);
            var file = model.Loras.FirstOrDefault(l => l.Name == name);
            if (file is null)
            {
                var available = model.Loras.Count == 0
                    ? $"model '{model.Id}' has none (LoRA files go in its folder's {LoraFolder.Name}/)"
                    : $"model '{model.Id}' has: {string.Join(", ", model.Loras.Select(l => l.Name))}";
                throw Invalid($"'loras[{i}].name': unknown LoRA '{loras[i].Name}'; {available}");
            }
            if (file.Problem is not null) throw Invalid($"'loras[{i}].name': LoRA '{name}' cannot be used with model '{model.Id}': {file.Problem}");
            resolved.Add(loras[i] with { Name = name });
        }
        return resolved;
    }

    /// <summary>The asked pipeline (distilled when none), refused when it is not a pipeline or the model cannot run it.</summary>
    public static string CheckPipeline(string? asked, ModelDescriptor model)
    {
        var pipeline = asked ?? PipelineNames.Distilled;
        if (!PipelineNames.All.Contains(pipeline)) throw Invalid($"'pipeline' must be one of {string.Join(", ", PipelineNames.All)}");
        if (!model.Pipelines.Contains(pipeline))
            throw Invalid($"model '{model.Id}' does not support the '{pipeline}' pipeline; it supports {string.Join(", ", model.Pipelines)}");
        return pipeline;
    }

    /// <summary>Steps, guidance and negative prompt: the generation's defaults on guided pipelines; dropped, and named, on distilled.</summary>
    private static (int? Steps, GuidanceScales? Guidance, string? Negative) PipelineSettings(
        GenerationAsk ask, string pipeline, GenerationParams generation, List<Adjustment> adjustments)
    {
        if (PipelineNames.IsGuided(pipeline))
        {
            var video = ask.GuidanceScale ?? generation.Video.CfgScale;
            var scales = new GuidanceScales(video, Math.Abs(video - 1.0) < 1e-9 ? 1.0 : generation.Audio.CfgScale) { StgScale = ask.StgScale ?? generation.Video.StgScale };
            return ((int?)ask.Steps ?? generation.Steps, scales, ask.NegativePrompt ?? PipelineNames.DefaultNegativePrompt);
        }
        const string why = "the distilled pipeline runs its own fixed schedule without guidance; {0} is ignored";
        if (ask.Steps is { } steps) adjustments.Add(new("steps", JsonValue.Create(steps), null, string.Format(why, "steps")));
        if (ask.GuidanceScale is { } scale) adjustments.Add(new("guidance_scale", JsonValue.Create(scale), null, string.Format(why, "guidance_scale")));
        if (ask.StgScale is { } stg) adjustments.Add(new("stg_scale", JsonValue.Create(stg), null, string.Format(why, "stg_scale")));
        if (ask.NegativePrompt is { } text) adjustments.Add(new("negative_prompt", JsonValue.Create(text), null, string.Format(why, "negative_prompt")));
        return (null, null, null);
    }

    /// <summary>The asked size (else the image's, else 1280x704), snapped to the pipeline's multiple and scaled into the maximum.</summary>
    private (int W, int H) Size(GenerationAsk ask, string pipeline, int multiple, List<Adjustment> adjustments)
    {
        var (w, h) = ask.Resolution ?? (ask.Image is { } image ? (image.Width, image.Height) : (DefaultWidth, DefaultHeight));
        if (w <= 0 || h <= 0) throw Invalid("'resolution' must have a width and a height above 0");
        var snapped = (Snap(w, multiple), Snap(h, multiple));
        if (snapped != (w, h))
            adjustments.Add(new("resolution", Res(w, h), Res(snapped), $"the {pipeline} pipeline needs width and height in multiples of {multiple}"));
        (w, h) = snapped;
        if (w > limits.MaxWidth || h > limits.MaxHeight)
        {
            var scale = Math.Min(limits.MaxWidth / (double)w, limits.MaxHeight / (double)h);
            var fitted = (Floor(w * scale, multiple), Floor(h * scale, multiple));
            adjustments.Add(new("resolution", Res(w, h), Res(fitted),
                $"scaled down to the maximum of {limits.MaxWidth}x{limits.MaxHeight}, keeping the aspect ratio"));
            (w, h) = fitted;
        }
        return (w, h);
    }

    /// <summary>The fastest memory plan that fits, stepping resolution and then duration down only when none does (<see cref="PlanFitter"/>).</summary>
    private (MemoryEstimate?, PlannedMemory?) FitMemory(string modelId, string pipeline, double fps, bool audio, int multiple, ref int w, ref int h,
        ref double duration, List<Adjustment> adjustments, bool fixedDuration = false)
    {
        if (memory is null) return (null, null);
        var fitted = new PlanFitter(memory, MinShortSide, MinDuration).Fit(modelId, pipeline, fps, audio, multiple, w, h, duration, adjustments, fixedDuration);
        (w, h, duration) = (fitted.Width, fitted.Height, fitted.Duration);
        var estimate = fitted.Estimate;
        return (new MemoryEstimate(estimate.PeakBytes, fitted.Budget), new PlannedMemory(estimate.Plan.Name, estimate.PeakBytes, fitted.Budget, estimate.HostBytes));
    }

    /// <summary>The image of image-to-video pins frame 0; keyframes pin first, last or an index (clamped, and listed, if past the end).</summary>
    private static List<RequestImage> PlaceImages(GenerationAsk ask, int frames, List<Adjustment> adjustments)
    {
        var placed = new List<RequestImage>();
        if (ask.Image is { } image) placed.Add(new RequestImage(image.File, 0, image.Width, image.Height, image.Strength));
        for (var i = 0; i < ask.Keyframes.Count; i++)
        {
            var keyframe = ask.Keyframes[i];
            var index = keyframe.FrameIn(frames);
            if (index > frames - 1)
            {
                adjustments.Add(new($"frame_images[{i}].frame", JsonValue.Create(index), JsonValue.Create(frames - 1),
                    $"the video has {frames} frames; the keyframe moves to the last one"));
                index = frames - 1;
            }
            placed.Add(new RequestImage(keyframe.File, index, keyframe.Width, keyframe.Height, keyframe.Strength, Keyframe: true));
        }
        return placed;
    }

    private static InvalidGenerationException Invalid(string message) => new(message);
    private static JsonNode Res(int w, int h) => JsonValue.Create($"{w}x{h}");
    private static JsonNode Res((int W, int H) size) => Res(size.W, size.H);
    private static int Snap(int value, int multiple) => Math.Max(multiple, (int)Math.Round(value / (double)multiple, MidpointRounding.AwayFromZero) * multiple);
    private static int Floor(double value, int multiple) => Math.Max(multiple, (int)(value / multiple) * multiple);
}
