using System.Text.Json.Nodes;
using LtxLocal.Inference;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Planning;

/// <summary>The planner's answer: final size and length, every change it made, and the memory estimate.</summary>
public sealed record Plan(int Width, int Height, double Duration, int NumFrames, int? Steps, IReadOnlyList<Adjustment> Adjustments, MemoryEstimate? Memory,
    bool EnhancePrompt = false);

/// <summary>
/// api.md's "never reject, adjust" rules, in their order: snap the resolution to the pipeline's
/// multiple, scale it into the configured maximum, clamp the duration to 4-10 s and derive an
/// 8k+1 frame count, then shrink resolution and duration until the estimated peak memory fits;
/// enhance_prompt is switched off, and listed, when the model cannot rewrite prompts.
/// </summary>
public sealed class ParameterPlanner(IOptions<ServerOptions> options, MemoryBudget memory)
{
    public const double MinDuration = 4, MaxDuration = 10, DefaultDuration = 5;
    public const int DefaultWidth = 1280, DefaultHeight = 704, MinShortSide = 512;

    public static int Multiple(string pipeline) => pipeline == "two-stage" ? 64 : 32;

    /// <summary>The 8k+1 frame count nearest to duration*fps; a tie goes down so the video never runs long.</summary>
    public static int FrameCount(double duration, double fps) =>
        8 * Math.Max(1, (int)Math.Ceiling((duration * fps - 1) / 8.0 - 0.5)) + 1;

    /// <param name="whyNotEnhance">why the model cannot enhance this kind of request (<see cref="PromptEnhancement.WhyNot"/>), or null</param>
    public Plan Create(ParsedRequest request, string modelId, (int Width, int Height) size, bool audio, string? whyNotEnhance = null)
    {
        var adjustments = new List<Adjustment>();
        var multiple = Multiple(request.Pipeline);
        var (w, h) = size;

        var snapped = (Snap(w, multiple), Snap(h, multiple));
        if (snapped != (w, h)) Record(adjustments, "resolution", Res(w, h), Res(snapped), $"the {request.Pipeline} pipeline needs width and height in multiples of {multiple}");
        (w, h) = snapped;

        var max = options.Value;
        if (w > max.MaxWidth || h > max.MaxHeight)
        {
            var scale = Math.Min(max.MaxWidth / (double)w, max.MaxHeight / (double)h);
            var fitted = (Floor(w * scale, multiple), Floor(h * scale, multiple));
            Record(adjustments, "resolution", Res(w, h), Res(fitted), $"scaled down to the server's maximum of {max.MaxWidth}x{max.MaxHeight}, keeping the aspect ratio");
            (w, h) = fitted;
        }

        var requestedDuration = request.Duration ?? DefaultDuration;
        var duration = Math.Clamp(requestedDuration, MinDuration, MaxDuration);
        if (duration != requestedDuration)
            Record(adjustments, "duration", JsonValue.Create(requestedDuration), JsonValue.Create(duration), $"duration must be {MinDuration}-{MaxDuration} seconds");

        int? steps = request.Steps;
        if (steps is not null && request.Pipeline == "distilled")
        {
            Record(adjustments, "steps", JsonValue.Create(steps), null, "the distilled pipeline runs its own fixed schedule; steps is ignored");
            steps = null;
        }

        var enhance = request.EnhancePrompt && whyNotEnhance is null;
        if (request.EnhancePrompt && !enhance) Record(adjustments, "enhance_prompt", JsonValue.Create(true), JsonValue.Create(false), whyNotEnhance!);

        var estimate = FitMemory(request, modelId, audio, multiple, ref w, ref h, ref duration, adjustments);
        return new Plan(w, h, duration, FrameCount(duration, request.Fps), steps, adjustments, estimate, enhance);
    }

    /// <summary>Step 4: resolution down (aspect kept, short side not below 512), then duration down, until the estimate fits.</summary>
    private MemoryEstimate? FitMemory(ParsedRequest request, string modelId, bool audio, int multiple, ref int w, ref int h, ref double duration, List<Adjustment> adjustments)
    {
        if (!memory.CanEstimate) return null;
        long Peak(int width, int height, double seconds) =>
            memory.EstimatePeakBytes(new(modelId, request.Pipeline, width, height, FrameCount(seconds, request.Fps), audio && request.GenerateAudio));
        var free = memory.FreeBytes();
        var peak = Peak(w, h, duration);
        if (free is null || peak <= free) return new MemoryEstimate(peak, free);

        var (startW, startH, startDuration) = (w, h, duration);
        var floor = Math.Min(MinShortSide, Math.Min(w, h));
        while (peak > free)
        {
            var scale = 0.9;
            var (nw, nh) = (Floor(w * scale, multiple), Floor(h * scale, multiple));
            if (Math.Min(nw, nh) < floor || (nw, nh) == (w, h)) break;
            (w, h) = (nw, nh);
            peak = Peak(w, h, duration);
        }
        while (peak > free && duration > MinDuration)
        {
            duration = Math.Max(MinDuration, Math.Ceiling(duration) - 1);
            peak = Peak(w, h, duration);
        }
        var why = $"the estimated peak GPU memory ({Gib(Peak(startW, startH, startDuration))}) exceeds the free GPU memory ({Gib(free.Value)})";
        if ((w, h) != (startW, startH)) Record(adjustments, "resolution", Res(startW, startH), Res(w, h), why);
        if (duration != startDuration) Record(adjustments, "duration", JsonValue.Create(startDuration), JsonValue.Create(duration), why);
        return new MemoryEstimate(peak, free);
    }

    private static void Record(List<Adjustment> list, string field, JsonNode? requested, JsonNode? applied, string reason) =>
        list.Add(new Adjustment(field, requested, applied, reason));

    private static JsonNode Res(int w, int h) => JsonValue.Create($"{w}x{h}");
    private static JsonNode Res((int W, int H) size) => Res(size.W, size.H);
    private static int Snap(int value, int multiple) => Math.Max(multiple, (int)Math.Round(value / (double)multiple, MidpointRounding.AwayFromZero) * multiple);
    private static int Floor(double value, int multiple) => Math.Max(multiple, (int)(value / multiple) * multiple);
    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F1} GiB";
}
