using System.Diagnostics;
using LtxLocal.Inference.Requests;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The generator for one model on one device: conditioning images re-compressed at the generation's CRF → prompt
/// enhancement when asked → the request's pipeline (<see cref="VideoPipelines"/>) → the video decoder block streaming
/// frames to the sink as RGB24 → the audio decoder block → interleaved PCM to the sink. Noise comes from a generator
/// seeded with the request's seed on the compute device, so the same seed, parameters and device give bit-identical
/// output. Jobs run one at a time per generator (one worker per device).
/// </summary>
public sealed class LtxVideoGenerator(LoadedModel model) : IVideoGenerator
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LoadedModel Model => model;

    public async Task<GenerationOutcome> GenerateAsync(GenerationRequest request, IReadOnlyList<ConditioningImage> images, IFrameSink sink,
        IProgress<GenerationProgress> progress, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Tensor work runs on one thread: dispose scopes are per thread.
            return await Task.Factory.StartNew(() => Generate(request, images, sink, progress, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _gate.Release();
        }
    }

    private GenerationOutcome Generate(GenerationRequest request, IReadOnlyList<ConditioningImage> images, IFrameSink sink,
        IProgress<GenerationProgress> progress, CancellationToken token)
    {
        var pipeline = VideoPipelines.For(request.Pipeline);
        var plan = Plan(pipeline, request, progress);
        var clock = Stopwatch.StartNew();
        var prepared = model.ImageConditioner.Prepare(images, request.ImageCrf, token);
        string? enhanced = null;
        if (request.EnhancePrompt)
        {
            plan.Report("enhancing_prompt", 0, 1);
            enhanced = model.PromptEncoder.Enhance(request.Prompt, request.TextToVideo, request.Seed, token);
            request = request with { Prompt = enhanced };
        }
        var before = Math.Round(clock.Elapsed.TotalSeconds, 4);
        token.ThrowIfCancellationRequested();

        plan.Report("encoding_text", 0, 1);
        using var generator = new Generator(unchecked((ulong)request.Seed), model.Device);
        PipelineLatents latents;
        try
        {
            latents = pipeline.Run(new PipelineRun(model, request, prepared, generator, plan, token));
        }
        finally
        {
            model.Loras.Reset(model.Transformer); // what a job fused never reaches the next one
        }
        using var _ = latents;
        var timings = latents.Timings;
        timings[enhanced is null ? "prepare" : "enhance"] = before;
        clock.Restart();

        token.ThrowIfCancellationRequested();
        WriteFrames(latents.Video, request, generator, sink, plan, token);
        timings["decode"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        if (latents.Audio is not null)
        {
            clock.Restart();
            var (pcm, rate) = model.AudioDecoder!.Decode(latents.Audio, request.NumFrames / request.Fps);
            sink.WriteAudioAsync(pcm, rate, 2, token).AsTask().GetAwaiter().GetResult();
            timings["audio"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        }
        plan.Report("decoding", request.NumFrames + 1, request.NumFrames + 1);
        return new GenerationOutcome(timings, latents.Ran, enhanced);
    }

    /// <summary>
    /// The run's parts and their shares, in full-resolution transformer calls: enhancement and text encoding a couple each,
    /// the pipeline's stages as it plans them, and decoding (video and audio) about a tenth of the denoising.
    /// </summary>
    private ProgressPlan Plan(IVideoPipeline pipeline, GenerationRequest request, IProgress<GenerationProgress> progress)
    {
        var plan = new ProgressPlan(progress);
        if (request.EnhancePrompt) plan.Add("enhancing_prompt", 4);
        plan.Add("encoding_text", PipelineNames.IsGuided(request.Pipeline) ? 2 : 1);
        pipeline.PlanProgress(plan, request, model);
        return plan.Add("decoding", Math.Max(1, plan.WeightOf("denoising") / 10), request.NumFrames + 1);
    }

    /// <summary>The video decoder block's chunks → RGB24 frames into the sink, each reported as decoded.</summary>
    private void WriteFrames(Tensor latent, GenerationRequest request, Generator generator, IFrameSink sink, ProgressPlan plan, CancellationToken token)
    {
        plan.Report("decoding", 0, request.NumFrames + 1);
        int written = 0, frameBytes = request.Width * request.Height * 3;
        foreach (var chunk in model.VideoDecoder.Decode(latent, request.Width, request.Height, request.NumFrames, generator))
        {
            byte[] bytes;
            long frames;
            using (var scope = TorchRuntime.NewDisposeScope())
            {
                var rgb = (ConvVideoDecoder.ToRgb(chunk) * 255.0).Round().Clamp(0, 255).To(Device.Cpu, DType.UInt8).Contiguous(); // [f, H, W, 3]
                frames = rgb.Size(0);
                bytes = rgb.ToArray<byte>();
            }
            chunk.Dispose();
            for (int f = 0; f < frames && written < request.NumFrames; f++, written++)
                sink.WriteFrameAsync(bytes.AsMemory(f * frameBytes, frameBytes), token).AsTask().GetAwaiter().GetResult();
            plan.Report("decoding", written, request.NumFrames + 1);
            token.ThrowIfCancellationRequested();
        }
        if (written != request.NumFrames) throw new InvalidOperationException($"the decoder produced {written} frames, {request.NumFrames} were planned");
    }

    public void Dispose()
    {
        model.Dispose();
        _gate.Dispose();
    }
}
