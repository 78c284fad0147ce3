using LtxLocal.Models.AudioVae;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>extend</c>, built on retake's mechanism (the reference has no extend pipeline): a window of context + new frames
/// (<see cref="SourceClips"/>) whose context latent frames are the encoded source and whose new ones start as zeros;
/// a <see cref="TemporalRegionMask"/> over the new span regenerates only it, so the model continues (or leads into) the
/// source. At the end the context is the source's last 8m+1 frames, encoded as a clip; at the start its first 8m frames,
/// encoded behind a copy of their first frame (the causal first latent frame), which is then dropped so the context's
/// latent frames are whole 8-frame groups after the new span's 8q+1 frames. The soundtrack's context is placed the same
/// way on the audio latent. The decoded new frames are spliced onto the source's frames (and sound): the output is the
/// whole source plus the added frames.
/// </summary>
public sealed class ExtendPipeline : IVideoPipeline
{
    public void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model) => new RetakePipeline().PlanProgress(plan, request, model);

    public PipelineLatents Run(PipelineRun run)
    {
        var (request, model, source) = (run.Request, run.Model, run.Source);
        bool atEnd = source.Mode == SourceTasks.AtEnd;
        int available = SourceClips.FramesAt(source, request.Fps), context = source.ContextFrames;
        int newFrames = request.NumFrames - context;
        var all = SourceClip.ReadFrames(run, 0, available);
        long latentFrames = (request.NumFrames - 1) / 8 + 1, audioFrames = AudioLatentShape.FramesForVideo(request.NumFrames, request.Fps);
        double newStart = atEnd ? context / request.Fps : 0, newEnd = atEnd ? request.NumFrames / request.Fps : newFrames / request.Fps;

        using var videoLatent = VideoContext(run, all, atEnd, context, latentFrames);
        using var audioLatent = run.Audio ? AudioContext(run, available, atEnd, context, newFrames, audioFrames) : null;
        run.Lap("source_encode");

        var region = new TemporalRegionMask(newStart, newEnd, request.Fps);
        var video = new StreamSpec { InitialLatent = videoLatent, Region = region };
        var audio = audioLatent is null ? StreamSpec.Generate : new StreamSpec { InitialLatent = audioLatent, Region = region };
        var (denoiser, sigmas) = RetakePipeline.Denoiser(run);
        run.Lap("text");
        var stage = run.Stage(request.Width, request.Height, sigmas, denoiser, new EulerStep(), video, audio);
        run.Lap("denoise");

        var soundtrack = run.Audio && source.SourceHasAudio ? SourceClip.ReadAudio(run, 0, available / request.Fps) : null;
        var splice = atEnd
            ? new FrameSplice(all, context, source.AddedFrames, [], soundtrack)
            : new FrameSplice([], newFrames - source.AddedFrames, source.AddedFrames, all, soundtrack);
        return run.Finish(stage.Video, stage.Audio) with { Splice = splice };
    }

    /// <summary>The window's video latent: the context's encoded frames at their place, zeros for the new span.</summary>
    private static Tensor VideoContext(PipelineRun run, IReadOnlyList<byte[]> all, bool atEnd, int context, long latentFrames)
    {
        var (request, model) = (run.Request, run.Model);
        using var scope = TorchRuntime.NewDisposeScope();
        if (atEnd)
        {
            var encoded = SourceClip.EncodeFrames(model, all.Skip(all.Count - context).ToList(), request.Width, request.Height);
            return scope.MoveToOuter(SourceClip.Place(encoded, latentFrames, 0));
        }
        var led = SourceClip.EncodeFrames(model, [all[0], .. all.Take(context)], request.Width, request.Height);
        var groups = led.Narrow(2, 1, led.Size(2) - 1);
        return scope.MoveToOuter(SourceClip.Place(groups, latentFrames, latentFrames - groups.Size(2)));
    }

    /// <summary>The window's audio latent: the context's soundtrack encoded and placed where its frames are; null without one.</summary>
    private static Tensor? AudioContext(PipelineRun run, int available, bool atEnd, int context, int newFrames, long audioFrames)
    {
        var fps = run.Request.Fps;
        double start = atEnd ? (available - context) / fps : 0, seconds = context / fps;
        long contextFrames = AudioLatentShape.FramesForVideo(context, fps);
        using var encoded = SourceClip.EncodeAudio(run, start, seconds, contextFrames);
        if (encoded is null) return null;
        long at = atEnd ? 0 : audioFrames - contextFrames;
        return SourceClip.Place(encoded, audioFrames, Math.Max(0, at));
    }
}
