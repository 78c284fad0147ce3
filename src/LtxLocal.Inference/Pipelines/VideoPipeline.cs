using System.Diagnostics;
using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Guidance;
using LtxLocal.Inference.Schedulers;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>What the denoising part of a pipeline hands to the decoders, and how long each part took.</summary>
public sealed record PipelineLatents(Tensor Video, Tensor? Audio, Dictionary<string, double> Timings) : IDisposable
{
    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
    }
}

/// <summary>
/// The three pipelines up to the final latents, as the reference defines them:
/// <list type="bullet">
/// <item><c>distilled</c> (distilled.py): the distilled 8-step schedule at half resolution, x2 latent upsampling, the
/// 3-step stage-2 schedule at full resolution, no guidance; from 2.5 on stage 1 samples with ancestral Euler. A size
/// whose half is off the 32-pixel grid (or a model without upsampler) runs the 8 steps once at full resolution.</item>
/// <item><c>one-stage</c> (ti2vid_one_stage.py): the shifted LTX-2 schedule (40 steps), multi-modal guidance with
/// CFG = guidance_scale (4) and the generation's STG / modality / rescale defaults, negative prompt.</item>
/// <item><c>two-stage</c> (ti2vid_two_stages.py): stage 1 guided at half resolution, x2 upsampling, stage 2 with the
/// distilled LoRA and the stage-2 schedule at full resolution; the audio of stage 1 is kept.</item>
/// </list>
/// </summary>
public sealed class VideoPipeline(LoadedModel model)
{
    public PipelineLatents Run(GenerationRequest request, Generator generator, Action<string, int, int> progress, CancellationToken cancellationToken)
    {
        var timings = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        bool audio = request.GenerateAudio && model.HasAudio;
        bool guided = request.Pipeline != PipelineNames.Distilled;
        progress("encoding_text", 0, 1);
        var positive = model.EncodePrompt(request.Prompt);
        var negative = guided ? model.EncodePrompt(request.NegativePrompt ?? PipelineNames.DefaultNegativePrompt) : null;
        timings["text"] = Lap(clock);

        var (first, second) = Schedules(request);
        int total = first.Count - 1 + (second?.Count - 1 ?? 0);
        int done = 0;
        StepCallback OnStep() { int offset = done; return (step, _) => progress("denoising", offset + step, total); }
        bool twoStages = second is not null;
        int w1 = twoStages ? request.Width / 2 : request.Width, h1 = twoStages ? request.Height / 2 : request.Height;

        IDenoiser stage1Denoiser = guided ? Guided(positive, negative!, request) : new SimpleDenoiser(model.Transformer, positive);
        IDiffusionStep stage1Stepper = !guided && model.Files.Version >= new Version(2, 5) ? new EulerAncestralStep() : new EulerStep();
        var stage1 = DiffusionStage.Run(model, new StageInput(w1, h1, request.NumFrames, request.Fps, first, stage1Denoiser, stage1Stepper,
            request.Images, audio), generator, OnStep(), cancellationToken);
        done = first.Count - 1;
        timings["denoise"] = Lap(clock);
        timings["denoise_per_step"] = timings["denoise"] / Math.Max(1, done);
        if (!twoStages) return new PipelineLatents(stage1.Video, stage1.Audio, timings);

        progress("upsampling", 0, 1);
        Tensor upsampled;
        using (var scope = TorchRuntime.NewDisposeScope())
            upsampled = scope.MoveToOuter(model.Upsampler!.UpsampleVideo(stage1.Video, model.LatentStatistics!));
        stage1.Video.Dispose();
        timings["upsample"] = Lap(clock);

        var stage2Input = new StageInput(request.Width, request.Height, request.NumFrames, request.Fps, second!,
            new SimpleDenoiser(model.Transformer, positive), new EulerStep(), request.Images, audio)
        {
            InitialVideo = upsampled, InitialAudio = stage1.Audio, NoiseScale = second![0],
        };
        // Distilled refines with its own weights; the dev model refines with the distilled LoRA fused in.
        var stage2 = guided
            ? model.WithDistilledLora(() => DiffusionStage.Run(model, stage2Input, generator, OnStep(), cancellationToken))
            : DiffusionStage.Run(model, stage2Input, generator, OnStep(), cancellationToken);
        upsampled.Dispose();
        timings["denoise_stage2"] = Lap(clock);
        timings["denoise_per_step"] = (timings["denoise"] + timings["denoise_stage2"]) / total;
        if (guided)
        {
            stage2.Audio?.Dispose(); // two-stage keeps the audio of stage 1, denoised under the full guidance
            return new PipelineLatents(stage2.Video, stage1.Audio, timings);
        }
        stage1.Audio?.Dispose();
        return new PipelineLatents(stage2.Video, stage2.Audio, timings);
    }

    /// <summary>Stage 1 sigmas, and stage 2 sigmas when the pipeline has a second stage.</summary>
    private (IReadOnlyList<float> First, IReadOnlyList<float>? Second) Schedules(GenerationRequest request)
    {
        bool canUpsample = model.Upsampler is not null && PipelineNames.HalvesCleanly(request.Width, request.Height);
        return request.Pipeline switch
        {
            PipelineNames.Distilled => (DistilledSigmas.Stage1, canUpsample ? DistilledSigmas.Stage2 : null),
            PipelineNames.OneStage => (Ltx2Scheduler.Sigmas(request.Steps ?? PipelineNames.OneStageDefaultSteps), null),
            PipelineNames.TwoStage when canUpsample =>
                (Ltx2Scheduler.Sigmas(request.Steps ?? GenerationDefaults.For(model.Files.Version).Steps), DistilledSigmas.Stage2),
            PipelineNames.TwoStage => throw new ArgumentException(
                $"the two-stage pipeline needs the x2 latent upsampler and a width and height in multiples of 64 (got {request.Width}x{request.Height})"),
            _ => throw new ArgumentException($"unknown pipeline '{request.Pipeline}'; use distilled, one-stage or two-stage"),
        };
    }

    /// <summary>The generation's guider defaults with CFG = guidance_scale on video; guidance_scale 1 switches guidance off.</summary>
    private GuidedDenoiser Guided(PromptContext positive, PromptContext negative, GenerationRequest request)
    {
        double scale = request.GuidanceScale ?? PipelineNames.DefaultGuidanceScale;
        var defaults = GenerationDefaults.For(model.Files.Version);
        var (video, audio) = Math.Abs(scale - 1.0) < 1e-9
            ? (new GuiderParams(), new GuiderParams())
            : (defaults.Video with { CfgScale = scale }, defaults.Audio);
        return new GuidedDenoiser(model.Transformer, positive, negative, video, audio);
    }

    private static double Lap(Stopwatch clock)
    {
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 4);
        clock.Restart();
        return seconds;
    }
}
