using System.Diagnostics;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The server's generator for one model on one device: prompt enhancement when asked → text encoding → denoising (<see cref="VideoPipeline"/>) →
/// tiled VAE decode streamed frame by frame to the sink as RGB24 → audio VAE + vocoder → interleaved PCM to the sink.
/// Noise comes from a generator seeded with the request's seed on the compute device, so the same seed, parameters
/// and device give bit-identical output. Jobs run one at a time per generator (one worker per device).
/// </summary>
public sealed class LtxVideoGenerator(LoadedModel model) : IVideoGenerator, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public LoadedModel Model => model;

    public async Task<GenerationOutcome> GenerateAsync(GenerationRequest request, IFrameSink sink, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Tensor work runs on one thread: dispose scopes are per thread.
            return await Task.Factory.StartNew(() => Generate(request, sink, progress, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _gate.Release();
        }
    }

    private GenerationOutcome Generate(GenerationRequest request, IFrameSink sink, IProgress<GenerationProgress> progress, CancellationToken token)
    {
        void Report(string stage, int step, int total) => progress.Report(new GenerationProgress(stage, step, total, Fraction(stage, step, total)));
        var clock = Stopwatch.StartNew();
        string? enhanced = null;
        if (request.EnhancePrompt)
        {
            Report("enhancing_prompt", 0, 1);
            enhanced = model.EnhancePrompt(request.Prompt, request.Images.Count == 0, request.Seed, token);
            request = request with { Prompt = enhanced };
        }
        var enhanceSeconds = Math.Round(clock.Elapsed.TotalSeconds, 4);
        token.ThrowIfCancellationRequested();

        using var generator = new Generator(unchecked((ulong)request.Seed), model.Device);
        using var latents = new VideoPipeline(model).Run(request, generator, Report, token);
        var timings = latents.Timings;
        if (enhanced is not null) timings["enhance"] = enhanceSeconds;
        clock.Restart();

        token.ThrowIfCancellationRequested();
        Report("decoding", 0, request.NumFrames);
        int written = 0;
        foreach (var chunk in DecodeVideo(latents.Video, request, generator))
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
            int frameBytes = request.Width * request.Height * 3;
            for (int f = 0; f < frames && written < request.NumFrames; f++, written++)
                sink.WriteFrameAsync(bytes.AsMemory(f * frameBytes, frameBytes), token).AsTask().GetAwaiter().GetResult();
            Report("decoding", written, request.NumFrames);
            token.ThrowIfCancellationRequested();
        }
        if (written != request.NumFrames) throw new InvalidOperationException($"the decoder produced {written} frames, {request.NumFrames} were planned");
        timings["decode"] = Math.Round(clock.Elapsed.TotalSeconds, 4);

        if (latents.Audio is not null)
        {
            clock.Restart();
            var (pcm, rate) = DecodeAudio(latents.Audio, request.NumFrames / request.Fps);
            sink.WriteAudioAsync(pcm, rate, 2, token).AsTask().GetAwaiter().GetResult();
            timings["audio"] = Math.Round(clock.Elapsed.TotalSeconds, 4);
        }
        return new GenerationOutcome(timings, enhanced);
    }

    /// <summary>
    /// The conv decoder tiles to fit free memory; the diffusion decoder (LTX-2.5) decodes untiled in one chunk, after checking
    /// its estimated peak against free memory so an oversized request fails with advice instead of running out of memory.
    /// </summary>
    private IEnumerable<Tensor> DecodeVideo(Tensor latent, GenerationRequest request, Generator generator)
    {
        if (model.DiffusionDecoder is { } diffusion)
        {
            long needed = DiffusionDecodeMemory.EstimateBytes(diffusion.Config, request.Height, request.Width, request.NumFrames, model.DType.ElementSize());
            long free = DecodeTilePlanner.FreeBytes(model.Device);
            if (needed > free)
                throw new InvalidOperationException($"the diffusion video decoder decodes untiled and needs about {needed >> 20} MiB for " +
                    $"{request.Width}x{request.Height}x{request.NumFrames}, {free >> 20} MiB are free; use a smaller size or the model's conv video VAE file");
            yield return diffusion.Forward(latent, generator: generator);
            yield break;
        }
        var decoder = model.VideoDecoder!;
        var tiles = DecodeTilePlanner.Choose(decoder.Config, request.Height, request.Width, request.NumFrames, model.DType,
            DecodeTilePlanner.FreeBytes(model.Device));
        foreach (var chunk in VideoTiling.TiledDecode(decoder, latent, tiles, generator)) yield return chunk;
    }

    /// <summary>Audio VAE + vocoder → interleaved stereo float PCM, cut to the video's duration.</summary>
    private (float[] Pcm, int Rate) DecodeAudio(Tensor latent, double seconds)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var waveform = AudioVaeLoader.DecodeAudio(latent, model.AudioDecoder!, model.Vocoder!);       // [2, samples]
        int rate = model.Vocoder!.OutputSamplingRate;
        long samples = Math.Min(waveform.Size(1), (long)Math.Round(seconds * rate));
        var interleaved = waveform.Narrow(1, 0, samples).Transpose(0, 1).Clamp(-1, 1).To(Device.Cpu, DType.Float32).Contiguous();
        return (interleaved.ToArray<float>(), rate);
    }

    // Enhancement and text ~5%, denoising to 85%, upsampling a sliver, decoding to 98%; muxing is the server's.
    private static double Fraction(string stage, int step, int total)
    {
        double part = total == 0 ? 0 : step / (double)total;
        return stage switch
        {
            "enhancing_prompt" or "encoding_text" => 0.0,
            "denoising" => 0.05 + 0.8 * part,
            "upsampling" => 0.85,
            "decoding" => 0.86 + 0.12 * part,
            _ => 0.99,
        };
    }

    public void Dispose()
    {
        model.Dispose();
        _gate.Dispose();
    }
}
