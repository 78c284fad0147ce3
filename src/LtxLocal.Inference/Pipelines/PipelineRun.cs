using System.Diagnostics;
using LtxLocal.Inference.Guidance;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// One generation as a pipeline sees it: the loaded networks, the resolved request, the prepared conditioning images, the
/// seeded noise generator, the progress plan and the timings; plus the steps every pipeline composes (encode a prompt, run
/// a stage, build the guider the request asks for).
/// </summary>
public sealed class PipelineRun(LoadedModel model, GenerationRequest request, IReadOnlyList<ConditioningImage> images, Generator generator,
    ProgressPlan progress, CancellationToken cancellationToken)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<int> _stageSteps = [];
    private readonly List<PromptContext> _contexts = [];
    private int _stepsDone;
    private bool _distilledLora;

    public LoadedModel Model => model;
    public GenerationRequest Request => request;
    public ProgressPlan Progress => progress;
    public CancellationToken CancellationToken => cancellationToken;
    public Dictionary<string, double> Timings { get; } = new();

    /// <summary>Whether this run produces a soundtrack: asked for, and the model has one.</summary>
    public bool Audio => request.GenerateAudio && model.HasAudio;

    /// <summary>The guider settings handed to the guided denoiser, once one is built.</summary>
    public (GuiderParams Video, GuiderParams Audio)? Guiders { get; private set; }

    /// <summary>
    /// A prompt's contexts on the compute device, in its dtype (the text encoder may live on the CPU); the ledger holds
    /// them until the run ends. A prompt in the model's <see cref="LoadedModel.PromptCache"/> is copied from there and the
    /// text encoder is not even loaded; otherwise the encoder runs and its output is cached as it came out (before any
    /// move to the compute device).
    /// </summary>
    public PromptContext Encode(string prompt)
    {
        model.Ledger.BeginPhase("text");
        var cache = model.PromptCache;
        var key = cache is null ? null : model.PromptKey(prompt);
        var context = key is null ? null : cache!.TryGet(key, model.Device, model.DType);
        if (context is null)
        {
            using var encoder = model.PromptEncoder.Acquire();
            cache?.EncoderRan();
            var encoded = encoder.Network.Encode(prompt);
            if (key is not null) cache!.Add(key, encoded);
            context = OnComputeDevice(encoded);
        }
        model.Ledger.Hold($"context{_contexts.Count}", Memory.TensorBytes.Of(context.Video, context.Audio));
        _contexts.Add(context);
        return context;
    }

    private PromptContext OnComputeDevice(PromptContext context)
    {
        if (context.Video.Device == model.Device && context.Video.DType == model.DType) return context;
        var moved = new PromptContext(context.Video.To(model.Device, model.DType), context.Audio?.To(model.Device, model.DType));
        context.Video.Dispose();
        context.Audio?.Dispose();
        return moved;
    }

    /// <summary>
    /// Puts the request's LoRAs into the transformer for the stages that follow, then the distilled LoRA when
    /// <paramref name="distilled"/> (reference: <c>(*loras, *distilled_lora)</c>).
    /// </summary>
    /// The LoRAs go in when a stage holds the transformer (<see cref="DiffusionStage"/>), so a plan that loads it per stage
    /// fuses them onto the fresh checkpoint weights.
    public void UseLoras(bool distilled = false) => _distilledLora = distilled;

    /// <summary>
    /// Runs one denoising stage at <paramref name="width"/>x<paramref name="height"/>, reporting each step on the plan's
    /// denoising count, and remembers how many steps it ran.
    /// </summary>
    public StageOutput Stage(int width, int height, IReadOnlyList<float> sigmas, Func<LtxModel, IDenoiser> denoiser, Schedulers.IDiffusionStep stepper,
        Tensor? initialVideo = null, Tensor? initialAudio = null, double noiseScale = 1.0) =>
        Stage(width, height, sigmas, denoiser, stepper, new StreamSpec { InitialLatent = initialVideo, NoiseScale = noiseScale },
            new StreamSpec { InitialLatent = initialAudio, NoiseScale = noiseScale });

    /// <summary>A stage whose streams each start as their <see cref="StreamSpec"/> says (frozen, region, own noise scale).</summary>
    public StageOutput Stage(int width, int height, IReadOnlyList<float> sigmas, Func<LtxModel, IDenoiser> denoiser, Schedulers.IDiffusionStep stepper,
        StreamSpec video, StreamSpec audio)
    {
        int offset = _stepsDone, total = progress.StepsOf("denoising");
        var input = new StageInput(width, height, request.NumFrames, request.Fps, sigmas, denoiser, stepper, images, Audio)
        {
            VideoSpec = video, AudioSpec = audio, Loras = request.Loras, DistilledLora = _distilledLora,
        };
        model.Ledger.BeginPhase(_stageSteps.Count == 0 ? "denoise" : $"denoise_stage{_stageSteps.Count + 1}");
        var output = DiffusionStage.Run(model, input, generator, (step, _) =>
        {
            model.Ledger.EndStep();
            progress.Report("denoising", offset + step, total);
        }, cancellationToken);
        _stageSteps.Add(sigmas.Count - 1);
        _stepsDone += sigmas.Count - 1;
        return output;
    }

    /// <summary>The x2 latent upsampler over stage 1's video; the input is disposed.</summary>
    public Tensor Upsample(Tensor video)
    {
        progress.Report("upsampling", 0, 1);
        model.Ledger.BeginPhase("upsample");
        model.Ledger.Hold("upsample_input", Memory.TensorBytes.Of(video));
        var upsampled = model.Upsampler!.Use(upsampler => upsampler.Upsample(video));
        model.Ledger.Hold("upsample_output", Memory.TensorBytes.Of(upsampled));
        video.Dispose();
        model.Ledger.Drop("upsample_input");
        progress.Report("upsampling", 1, 1);
        return upsampled;
    }

    /// <summary>
    /// The generation's guider settings with CFG set to the request's scales (video: guidance_scale, audio: the generation's);
    /// guidance_scale 1 switches every guidance term off.
    /// </summary>
    /// <param name="audioGuidance">false when the audio stream is held frozen (audio-to-video): its guider stays off</param>
    public Func<LtxModel, IDenoiser> Guided(PromptContext positive, PromptContext negative, bool audioGuidance = true)
    {
        var scales = request.Guidance ?? throw new InvalidOperationException($"the {request.Pipeline} pipeline needs guidance scales in the request");
        var generation = GenerationParams.For(model.Files.Version);
        Guiders = scales.Disabled
            ? (new GuiderParams(), new GuiderParams())
            : (generation.Video with { CfgScale = scales.VideoScale, StgScale = scales.StgScale ?? generation.Video.StgScale }, audioGuidance ? generation.Audio with { CfgScale = scales.AudioScale } : new GuiderParams());
        var (video, audio) = Guiders.Value;
        return transformer => new GuidedDenoiser(transformer, positive, negative, video, audio);
    }

    /// <summary>Seconds since the last lap, rounded, stored under <paramref name="name"/>.</summary>
    public void Lap(string name)
    {
        Timings[name] = Math.Round(_clock.Elapsed.TotalSeconds, 4);
        _clock.Restart();
    }

    /// <summary>What ran: the steps each stage took, and the CFG scales of the guider that was built.</summary>
    public RanSettings Ran() => new(request.Pipeline, [.. _stageSteps], Guiders?.Video.CfgScale, Guiders?.Audio.CfgScale);

    public PipelineLatents Finish(Tensor video, Tensor? audio)
    {
        // The prompts' contexts and the upsampled latent are done with: the decoders hold the final latents only.
        for (int i = 0; i < _contexts.Count; i++)
        {
            model.Ledger.Drop($"context{i}");
            _contexts[i].Video.Dispose();
            _contexts[i].Audio?.Dispose();
        }
        model.Ledger.Drop("upsample_output");
        model.Ledger.Hold("latents", Memory.TensorBytes.Of(video, audio));
        Timings["denoise_per_step"] = Math.Round(Timings.Where(t => t.Key.StartsWith("denoise", StringComparison.Ordinal) && t.Key != "denoise_per_step")
            .Sum(t => t.Value) / Math.Max(1, _stepsDone), 4);
        return new PipelineLatents(video, audio, Timings, Ran());
    }

    /// <summary>The stored source file of an audio-to-video, retake or extend request.</summary>
    public RequestSource Source => request.Source ?? throw new InvalidOperationException($"the request has no source media for {request.Pipeline}");
}
