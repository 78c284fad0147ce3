using LtxLocal.Models.Transformer;
using LtxLocal.Models.AudioVae;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>audio-to-video</c> (a2vid_two_stage.py A2VidPipelineTwoStage): the soundtrack is decoded from the stored file (as
/// long as the clip), encoded by the audio VAE and cut or padded to the clip's audio latent frames; stage 1 denoises the
/// video at half size with the audio held frozen (noise scale 0) — guided pipelines with the video guider only (CFG plus
/// the a2v modality term; the audio guider off) over the request's steps, distilled with its own stage-1 schedule
/// unguided — then x2 latent upsampling and stage 2 on the stage-2 schedule with the audio still frozen (the distilled
/// LoRA fused for guided models; distilled models refine with their own weights; the request's LoRAs in both stages). The output's audio is the input audio,
/// trimmed to the clip, as the reference returns it. Without an upsampler (or off the 64-pixel grid) stage 1 runs once
/// at full size.
/// </summary>
public sealed class AudioToVideoPipeline : IVideoPipeline
{
    private static bool TwoStages(GenerationRequest request, LoadedModel model) =>
        model.Upsampler is not null && PipelineNames.HalvesCleanly(request.Width, request.Height);

    private static bool Guided(GenerationRequest request) => PipelineNames.IsGuided(request.Pipeline);

    public void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model)
    {
        int first = Guided(request) ? request.Steps!.Value : DistilledSigmas.Stage1.Count - 1;
        int passes = Guided(request) && !request.Guidance!.Disabled ? 4 : 1;
        if (!TwoStages(request, model))
        {
            plan.Add("denoising", first * VideoPipelines.StepWeight(1, passes), first);
            return;
        }
        int second = DistilledSigmas.Stage2.Count - 1;
        plan.Add("denoising", first * VideoPipelines.StepWeight(0.5, passes), first)
            .Add("upsampling", VideoPipelines.StepWeight(0.5, 1))
            .Add("denoising", second * VideoPipelines.StepWeight(1, 1), second);
    }

    public PipelineLatents Run(PipelineRun run)
    {
        var (request, model) = (run.Request, run.Model);
        var conditioner = model.AudioConditioner ?? throw new InvalidOperationException("audio-to-video needs a model with an audio VAE");
        var soundtrack = conditioner.Read(run.Source.File, 0, request.NumFrames / request.Fps, run.CancellationToken);
        using var audioLatent = EncodeSoundtrack(run, soundtrack);
        run.Lap("audio_encode");

        var positive = run.Encode(request.Prompt);
        Func<LtxModel, IDenoiser> denoiser;
        IReadOnlyList<float> sigmas;
        IDiffusionStep stepper = new EulerStep();
        if (Guided(request))
        {
            denoiser = run.Guided(positive, run.Encode(request.NegativePrompt!), audioGuidance: false);
            sigmas = Ltx2Scheduler.Sigmas(request.Steps!.Value);
        }
        else
        {
            denoiser = transformer => new SimpleDenoiser(transformer, positive);
            sigmas = DistilledSigmas.Stage1;
            if (model.Files.Version >= new Version(2, 5)) stepper = new EulerAncestralStep();
        }
        run.Lap("text");
        run.UseLoras(distilled: !Guided(request) && !model.Files.TransformerIsDistilled);
        var frozenAudio = StreamSpec.FrozenAt(audioLatent);
        bool twoStages = TwoStages(request, model);
        int scale = twoStages ? 2 : 1;
        var stage1 = run.Stage(request.Width / scale, request.Height / scale, sigmas, denoiser, stepper, StreamSpec.Generate, frozenAudio);
        stage1.Audio?.Dispose();
        run.Lap("denoise");
        if (!twoStages) return run.Finish(stage1.Video, null) with { SourceAudio = soundtrack };

        var upsampled = run.Upsample(stage1.Video);
        run.Lap("upsample");
        if (Guided(request)) run.UseLoras(distilled: true);
        var stage2 = run.Stage(request.Width, request.Height, DistilledSigmas.Stage2, transformer => new SimpleDenoiser(transformer, positive),
            new EulerStep(), new StreamSpec { InitialLatent = upsampled, NoiseScale = DistilledSigmas.Stage2[0] }, frozenAudio);
        upsampled.Dispose();
        stage2.Audio?.Dispose();
        run.Lap("denoise_stage2");
        return run.Finish(stage2.Video, null) with { SourceAudio = soundtrack };
    }

    /// <summary>The soundtrack's latent, cut or zero-padded to the clip's audio latent frames (the reference keeps the first ones).</summary>
    private static Tensor EncodeSoundtrack(PipelineRun run, Media.DecodedAudio soundtrack)
    {
        var (request, model) = (run.Request, run.Model);
        using var scope = TorchRuntime.NewDisposeScope();
        var encoded = model.AudioConditioner!.Encode(soundtrack);
        long channels = model.AudioLatentChannels!.Value;
        var tools = new AudioLatentTools(1, channels, AudioLatentShape.FramesForVideo(request.NumFrames, request.Fps), encoded.Size(3));
        return scope.MoveToOuter(tools.ConformLength(encoded).To(model.Device, model.DType));
    }
}
