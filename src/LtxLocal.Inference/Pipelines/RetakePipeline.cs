using LtxLocal.Models.Transformer;
using LtxLocal.Models.AudioVae;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>retake</c> (retake.py RetakePipeline): the source clip's frames (at the request's size and frame rate) encoded by the
/// video VAE, its soundtrack by the audio VAE; one stage at full size where each regenerated stream starts from its
/// source latent with a <see cref="TemporalRegionMask"/> over [start, end) (only those tokens are denoised, the rest stay
/// the source's), and a kept stream (replace_video keeps the audio, replace_audio the video) is held frozen with the
/// default noise scale. Guided pipelines run CFG over the request's steps, distilled its stage-1 schedule unguided.
/// A source without sound gets a soundtrack generated for the whole clip.
/// </summary>
public sealed class RetakePipeline : IVideoPipeline
{
    public void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model)
    {
        bool guided = PipelineNames.IsGuided(request.Pipeline);
        int steps = guided ? request.Steps!.Value : DistilledSigmas.Stage1.Count - 1;
        plan.Add("denoising", steps * VideoPipelines.StepWeight(1, guided && !request.Guidance!.Disabled ? 4 : 1), steps);
    }

    public PipelineLatents Run(PipelineRun run)
    {
        var (request, model, source) = (run.Request, run.Model, run.Source);
        using var videoLatent = SourceClip.EncodeFrames(model, SourceClip.ReadFrames(run, 0, request.NumFrames), request.Width, request.Height);
        using var audioLatent = run.Audio
            ? SourceClip.EncodeAudio(run, 0, request.NumFrames / request.Fps, AudioLatentShape.FramesForVideo(request.NumFrames, request.Fps))
            : null;
        run.Lap("source_encode");

        var region = new TemporalRegionMask(source.Start, source.End, request.Fps);
        var video = source.Mode == SourceTasks.ReplaceAudio
            ? new StreamSpec { InitialLatent = videoLatent, Frozen = true }
            : new StreamSpec { InitialLatent = videoLatent, Region = region };
        var audio = audioLatent is null ? StreamSpec.Generate
            : source.Mode == SourceTasks.ReplaceVideo ? new StreamSpec { InitialLatent = audioLatent, Frozen = true }
            : new StreamSpec { InitialLatent = audioLatent, Region = region };

        var (denoiser, sigmas) = Denoiser(run);
        run.Lap("text");
        var stage = run.Stage(request.Width, request.Height, sigmas, denoiser, new EulerStep(), video, audio);
        run.Lap("denoise");
        return run.Finish(stage.Video, stage.Audio);
    }

    /// <summary>Guided: CFG with the request's scales over its steps; distilled: unguided on the stage-1 schedule. Fuses the LoRAs.</summary>
    internal static (Func<LtxModel, IDenoiser>, IReadOnlyList<float>) Denoiser(PipelineRun run)
    {
        var request = run.Request;
        var positive = run.Encode(request.Prompt);
        bool guided = PipelineNames.IsGuided(request.Pipeline);
        // The request's LoRAs; distilled on a base transformer runs with the distilled LoRA, as the distilled pipeline does.
        run.UseLoras(distilled: !guided && !run.Model.Files.TransformerIsDistilled);
        if (!guided) return (transformer => new SimpleDenoiser(transformer, positive), DistilledSigmas.Stage1);
        return (run.Guided(positive, run.Encode(request.NegativePrompt!)), Ltx2Scheduler.Sigmas(request.Steps!.Value));
    }
}
