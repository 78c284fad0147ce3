using System.Diagnostics;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Models.VideoVae;

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
    private LoadedModel _model = model;

    /// <summary>The model under the plan of the last job (a job planned under another plan reloads it first).</summary>
    public LoadedModel Model => _model;

    /// <summary>The memory ledger of the last job that finished: each phase's peak on the compute device, bytes copied.</summary>
    public LedgerSnapshot? LastLedger { get; private set; }

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
        if (request.MemoryPlan is { } planned) _model = _model.Replan(MemoryPlan.Parse(planned.Plan));
        var model = _model;
        var pipeline = VideoPipelines.For(request);
        var plan = Plan(pipeline, request, progress);
        var clock = Stopwatch.StartNew();
        model.Ledger.StartJob();
        if (model.Device.IsCuda) Cuda.ResetPeakMemoryStats(model.Device.Index);
        var prepared = ImageConditioning.Prepare(model.Recompressor, images, request.ImageCrf, token);
        string? enhanced = null;
        if (request.EnhancePrompt)
        {
            plan.Report("enhancing_prompt", 0, 1);
            model.Ledger.BeginPhase("enhance");
            enhanced = model.PromptEncoder.Use(encoder => encoder.Enhance(request.Prompt, request.TextToVideo, request.Seed, token));
            request = request with { Prompt = enhanced };
        }
        var before = Math.Round(clock.Elapsed.TotalSeconds, 4);
        token.ThrowIfCancellationRequested();

        plan.Report("encoding_text", 0, 1);
        using var generator = new Generator(unchecked((ulong)request.Seed), model.Device);
        // LoRAs a job fused stay in a transformer that stays loaded: every stage switches it to exactly its own set (from the
        // checkpoint's values), so the next job's stages see no trace of them, and a job with the same set fuses nothing.
        using var latents = pipeline.Run(new PipelineRun(model, request, prepared, generator, plan, token));
        var timings = latents.Timings;
        timings[enhanced is null ? "prepare" : "enhance"] = before;
        clock.Restart();

        token.ThrowIfCancellationRequested();
        WriteFrames(latents.Video, request, latents.Splice, generator, sink, plan, token);
        timings["decode"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        if (latents.SourceAudio is { } given)
        {
            sink.WriteAudioAsync(given.Interleaved, given.SampleRate, given.Channels, token).AsTask().GetAwaiter().GetResult();
        }
        else if (latents.Audio is not null)
        {
            clock.Restart();
            model.Ledger.BeginPhase("audio");
            float[] pcm;
            int rate;
            using (var decoder = model.AudioDecoder!.Acquire())
            {
                (pcm, rate) = decoder.Network.Decode(latents.Audio, request.NumFrames / request.Fps);
                model.Ledger.Hold("waveform", pcm.LongLength * sizeof(float));
            }
            if (latents.Splice is { } splice) pcm = SplicedSoundtrack.Join(splice, pcm, rate, request.Fps);
            sink.WriteAudioAsync(pcm, rate, 2, token).AsTask().GetAwaiter().GetResult();
            timings["audio"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        }
        plan.Report("decoding", request.NumFrames + 1, request.NumFrames + 1);
        LastLedger = model.Ledger.Snapshot();
        long? allocatorPeak = model.Device.IsCuda ? Cuda.MemoryStats(model.Device.Index).PeakAllocated : null;
        return new GenerationOutcome(timings, latents.Ran, enhanced) { PeakMemory = new PeakMemory(LastLedger.PeakBytes, allocatorPeak) };
    }

    /// <summary>
    /// The run's parts and their shares, in full-resolution transformer calls: enhancement and text encoding a couple each,
    /// the pipeline's stages as it plans them, and decoding (video and audio) about a tenth of the denoising.
    /// </summary>
    private ProgressPlan Plan(IVideoPipeline pipeline, GenerationRequest request, IProgress<GenerationProgress> progress)
    {
        var model = _model;
        var plan = new ProgressPlan(progress);
        if (request.EnhancePrompt) plan.Add("enhancing_prompt", 4);
        plan.Add("encoding_text", PipelineNames.IsGuided(request.Pipeline) ? 2 : 1);
        pipeline.PlanProgress(plan, request, model);
        return plan.Add("decoding", Math.Max(1, plan.WeightOf("denoising") / 10), request.NumFrames + 1);
    }

    /// <summary>
    /// The video decoder block's chunks → RGB24 frames into the sink, each reported as decoded; with a splice, the source's
    /// frames before and after and only the decoded frames it keeps.
    /// </summary>
    private void WriteFrames(Tensor latent, GenerationRequest request, FrameSplice? splice, Generator generator, IFrameSink sink, ProgressPlan plan,
        CancellationToken token)
    {
        var model = _model;
        plan.Report("decoding", 0, request.NumFrames + 1);
        void Write(IReadOnlyList<byte[]> frames)
        {
            foreach (var frame in frames) sink.WriteFrameAsync(frame, token).AsTask().GetAwaiter().GetResult();
        }
        if (splice is not null) Write(splice.Before);
        model.Ledger.BeginPhase("decode");
        int written = 0, frameBytes = request.Width * request.Height * 3;
        using var decoder = model.VideoDecoder.Acquire();
        foreach (var chunk in decoder.Network.Decode(latent, request.Width, request.Height, request.NumFrames, generator))
        {
            model.Ledger.Hold("decoded_chunk", TensorBytes.Of(chunk));
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
            {
                if (splice is not null && (written < splice.Skip || written >= splice.Skip + splice.Take)) continue;
                sink.WriteFrameAsync(bytes.AsMemory(f * frameBytes, frameBytes), token).AsTask().GetAwaiter().GetResult();
            }
            plan.Report("decoding", written, request.NumFrames + 1);
            token.ThrowIfCancellationRequested();
        }
        model.Ledger.Drop("decoded_chunk");
        if (written != request.NumFrames) throw new InvalidOperationException($"the decoder produced {written} frames, {request.NumFrames} were planned");
        if (splice is not null) Write(splice.After);
    }

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }
}
