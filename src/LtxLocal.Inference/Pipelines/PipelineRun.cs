using System.Diagnostics;
using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Guidance;
using LtxLocal.Inference.Requests;
using LtxLocal.Torch;

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
    private int _stepsDone;

    public LoadedModel Model => model;
    public GenerationRequest Request => request;
    public ProgressPlan Progress => progress;
    public CancellationToken CancellationToken => cancellationToken;
    public Dictionary<string, double> Timings { get; } = new();

    /// <summary>Whether this run produces a soundtrack: asked for, and the model has one.</summary>
    public bool Audio => request.GenerateAudio && model.HasAudio;

    /// <summary>The guider settings handed to the guided denoiser, once one is built.</summary>
    public (GuiderParams Video, GuiderParams Audio)? Guiders { get; private set; }

    public PromptContext Encode(string prompt) => model.PromptEncoder.Encode(prompt);

    /// <summary>
    /// Puts the request's LoRAs into the transformer for the stages that follow, then the distilled LoRA when
    /// <paramref name="distilled"/> (reference: <c>(*loras, *distilled_lora)</c>).
    /// </summary>
    public void UseLoras(bool distilled = false) => model.Loras.Use(model.Transformer, request.Loras, distilled);

    /// <summary>
    /// Runs one denoising stage at <paramref name="width"/>x<paramref name="height"/>, reporting each step on the plan's
    /// denoising count, and remembers how many steps it ran.
    /// </summary>
    public StageOutput Stage(int width, int height, IReadOnlyList<float> sigmas, IDenoiser denoiser, Schedulers.IDiffusionStep stepper,
        Tensor? initialVideo = null, Tensor? initialAudio = null, double noiseScale = 1.0)
    {
        int offset = _stepsDone, total = progress.StepsOf("denoising");
        var input = new StageInput(width, height, request.NumFrames, request.Fps, sigmas, denoiser, stepper, images, Audio)
        {
            InitialVideo = initialVideo, InitialAudio = initialAudio, NoiseScale = noiseScale,
        };
        var output = DiffusionStage.Run(model, input, generator, (step, _) => progress.Report("denoising", offset + step, total), cancellationToken);
        _stageSteps.Add(sigmas.Count - 1);
        _stepsDone += sigmas.Count - 1;
        return output;
    }

    /// <summary>The x2 latent upsampler over stage 1's video; the input is disposed.</summary>
    public Tensor Upsample(Tensor video)
    {
        progress.Report("upsampling", 0, 1);
        var upsampled = model.Upsampler!.Upsample(video);
        video.Dispose();
        progress.Report("upsampling", 1, 1);
        return upsampled;
    }

    /// <summary>
    /// The generation's guider settings with CFG set to the request's scales (video: guidance_scale, audio: the generation's);
    /// guidance_scale 1 switches every guidance term off.
    /// </summary>
    public GuidedDenoiser Guided(PromptContext positive, PromptContext negative)
    {
        var scales = request.Guidance ?? throw new InvalidOperationException($"the {request.Pipeline} pipeline needs guidance scales in the request");
        var generation = GenerationParams.For(model.Files.Version);
        Guiders = scales.Disabled
            ? (new GuiderParams(), new GuiderParams())
            : (generation.Video with { CfgScale = scales.VideoScale }, generation.Audio with { CfgScale = scales.AudioScale });
        return new GuidedDenoiser(model.Transformer, positive, negative, Guiders.Value.Video, Guiders.Value.Audio);
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
        Timings["denoise_per_step"] = Math.Round(Timings.Where(t => t.Key.StartsWith("denoise", StringComparison.Ordinal) && t.Key != "denoise_per_step")
            .Sum(t => t.Value) / Math.Max(1, _stepsDone), 4);
        return new PipelineLatents(video, audio, Timings, Ran());
    }
}
