using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Requests;

/// <summary>
/// The clip a retake or an extension runs on, resolved from the source as its container describes it: the frame rate
/// snapped to one the model takes, the frame count to 8k+1, the region and context checked and clamped, each change an
/// <see cref="Adjustment"/> and each impossible value an <see cref="InvalidGenerationException"/>. Extend's window is a
/// context of the source plus the new span: at the end 8m+1 source frames then 8q new ones, at the start 8q+1 new frames
/// then 8m source frames, so the latent frames of the context and of the new span never share a latent frame.
/// </summary>
public static class SourceClips
{
    /// <summary>The model's frame rate nearest the source's.</summary>
    public static double Fps(RequestSource source, List<Adjustment> adjustments)
    {
        if (!(source.SourceFps > 0)) throw Invalid("the source video has no readable frame rate");
        var fps = GenerationResolver.FrameRates.MinBy(r => Math.Abs(r - source.SourceFps));
        if (Math.Abs(fps - source.SourceFps) > 1e-3)
            adjustments.Add(new("fps", JsonValue.Create(Math.Round(source.SourceFps, 3)), JsonValue.Create(fps),
                "the source's frame rate is not one the model takes; its frames are resampled to the nearest"));
        return fps;
    }

    /// <summary>The diffusion window's frame count and the source with its region, mode and context resolved.</summary>
    public static (int Frames, RequestSource Source) Plan(RequestSource source, double fps, List<Adjustment> adjustments) => source.Task switch
    {
        SourceTasks.Retake => Retake(source, fps, adjustments),
        SourceTasks.Extend => Extend(source, fps, adjustments),
        _ => throw new ArgumentException($"'{source.Task}' does not edit a clip"),
    };

    /// <summary>The source's frames once resampled to <paramref name="fps"/>.</summary>
    public static int FramesAt(RequestSource source, double fps) => Math.Abs(fps - source.SourceFps) < 1e-3
        ? source.SourceFrames : (int)Math.Floor(source.SourceFrames / source.SourceFps * fps + 1e-9);

    private static (int, RequestSource) Retake(RequestSource source, double fps, List<Adjustment> adjustments)
    {
        var mode = source.Mode ?? SourceTasks.ReplaceAudioAndVideo;
        if (!SourceTasks.RetakeModes.Contains(mode)) throw Invalid($"'mode' must be one of {string.Join(", ", SourceTasks.RetakeModes)}");
        int available = FramesAt(source, fps);
        if (available < 9) throw Invalid($"the source video has {available} frames; a retake needs at least 9");
        int frames = 8 * ((available - 1) / 8) + 1;
        if (frames / fps > GenerationResolver.MaxDuration + 1e-9)
            throw Invalid($"the source video is {available / fps:0.###} s; a retake takes at most {GenerationResolver.MaxDuration} s");
        if (frames != available)
            adjustments.Add(new("num_frames", JsonValue.Create(available), JsonValue.Create(frames),
                $"the model takes 8k+1 frames; the last {available - frames} frames of the source are left out"));
        double clip = frames / fps;
        if (source.Start < 0) throw Invalid("'start_time' must be 0 or more");
        if (source.Start >= clip) throw Invalid($"'start_time' ({source.Start:0.###} s) is at or past the end of the source ({clip:0.###} s)");
        if (!(source.End > source.Start)) throw Invalid("'end_time' must be after 'start_time'");
        var end = Math.Min(source.End, clip);
        if (end != source.End)
            adjustments.Add(new("end_time", JsonValue.Create(source.End), JsonValue.Create(end), $"the source ends at {clip:0.###} s"));
        if (mode == SourceTasks.ReplaceAudio && !source.SourceHasAudio) throw Invalid("'mode' replace_audio needs a source with a soundtrack");
        return (frames, source with { Mode = mode, End = end });
    }

    private static (int, RequestSource) Extend(RequestSource source, double fps, List<Adjustment> adjustments)
    {
        var mode = source.Mode ?? SourceTasks.AtEnd;
        if (!SourceTasks.ExtendModes.Contains(mode)) throw Invalid($"'mode' must be one of {string.Join(", ", SourceTasks.ExtendModes)}");
        if (!(source.Seconds > 0)) throw Invalid("'duration' (the seconds to add) must be above 0");
        if (!(source.Context > 0)) throw Invalid("'context' must be above 0 seconds");
        int available = FramesAt(source, fps);
        bool atEnd = mode == SourceTasks.AtEnd;
        if (available < (atEnd ? 1 : 8)) throw Invalid($"the source video has {available} frames; extending at the start needs at least 8");
        int seen = Math.Clamp((int)Math.Round(source.Context * fps), 1, available);
        // At the end the context keeps the causal first latent frame (8m+1 frames); at the start it follows new frames (8m).
        int contextLatents = atEnd ? (seen - 1) / 8 : Math.Max(1, seen / 8);
        int context = atEnd ? 8 * contextLatents + 1 : 8 * contextLatents;
        int maxFrames = GenerationResolver.FrameCount(GenerationResolver.MaxDuration, fps);
        int added = Math.Max(1, (int)Math.Round(source.Seconds * fps));
        int newLatents = atEnd ? (added + 7) / 8 : (added - 1 + 7) / 8;
        int roomLatents = (maxFrames - 1) / 8 - contextLatents;
        if (roomLatents < (atEnd ? 1 : 0)) throw Invalid($"'context' leaves no room for new frames within {GenerationResolver.MaxDuration} s");
        if (newLatents > roomLatents)
        {
            newLatents = roomLatents;
            int fits = atEnd ? 8 * newLatents : 8 * newLatents + 1;
            adjustments.Add(new("duration", JsonValue.Create(source.Seconds), JsonValue.Create(Math.Round(fits / fps, 4)),
                $"context and new frames together must fit the model's {GenerationResolver.MaxDuration} s"));
            added = fits;
        }
        if (Math.Abs(context / fps - source.Context) > 0.5 / fps)
            adjustments.Add(new("context", JsonValue.Create(source.Context), JsonValue.Create(Math.Round(context / fps, 4)),
                atEnd ? "the context is 8k+1 frames of the source (whole latent frames), at most the whole source"
                    : "the context is 8k frames of the source (whole latent frames), at most the whole source"));
        int frames = 8 * (contextLatents + newLatents) + 1;
        return (frames, source with { Mode = mode, Context = context / fps, ContextFrames = context, AddedFrames = added });
    }

    private static InvalidGenerationException Invalid(string message) => new(message);
}
