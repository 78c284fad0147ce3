using System.Collections.Concurrent;
using LtxLocal.Inference;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Testing;

/// <summary>
/// A stand-in for the LTX-2 pipelines, for tests and the load tool only: it reports progress through
/// the stages, writes request.NumFrames gradient frames (and a sine-wave track when audio is asked
/// for) into the real sink, and can be held at a gate, slowed, or made to fail.
/// </summary>
public sealed class FakeGeneratorFactory : IGeneratorFactory
{
    private volatile TaskCompletionSource _gate = Open();

    public TimeSpan StepDelay { get; set; } = TimeSpan.Zero;
    public int Steps { get; set; } = 4;
    public string? FailWith { get; set; }
    /// <summary>Write all-black frames instead of the gradient (what a content checker test denies).</summary>
    public bool Black { get; set; }
    /// <summary>When set, Unavailable() reports it for every model.</summary>
    public string? UnavailableReason { get; set; }
    public ConcurrentQueue<GenerationRequest> Requests { get; } = new();
    /// <summary>Runs after the last frame and sound were written, before the generation returns (ignoring its token).</summary>
    public Func<GenerationRequest, Task>? AfterFrames { get; set; }
    /// <summary>The decoded conditioning images each generation received, in the order of <see cref="Requests"/>.</summary>
    public ConcurrentQueue<IReadOnlyList<ConditioningImage>> Images { get; } = new();
    private readonly SemaphoreSlim _started = new(0);

    /// <summary>Waits until one more generation has started (each start is counted once).</summary>
    public async Task WaitForStartAsync(double seconds = 20)
    {
        if (!await _started.WaitAsync(TimeSpan.FromSeconds(seconds))) throw new TimeoutException("no generation started");
    }

    /// <summary>Jobs that start from now on wait at the first step until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public string? Unavailable(ModelDescriptor model) => UnavailableReason;

    public IVideoGenerator Create(ModelDescriptor model, ComputeDevice device) => new Generator(this);

    private static TaskCompletionSource Open()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private sealed class Generator(FakeGeneratorFactory owner) : IVideoGenerator
    {
        public void Dispose()
        {
        }

        public async Task<GenerationOutcome> GenerateAsync(GenerationRequest request, IReadOnlyList<ConditioningImage> images, IFrameSink sink,
            IProgress<GenerationProgress> progress, CancellationToken token)
        {
            owner.Images.Enqueue(images);
            owner.Requests.Enqueue(request);
            owner._started.Release();

            progress.Report(new GenerationProgress("encoding_text", 0, 1, 0.05));
            await owner._gate.Task.WaitAsync(token);
            for (var step = 1; step <= owner.Steps; step++)
            {
                token.ThrowIfCancellationRequested();
                if (owner.StepDelay > TimeSpan.Zero) await Task.Delay(owner.StepDelay, token);
                progress.Report(new GenerationProgress("denoising", step, owner.Steps, 0.1 + 0.7 * step / owner.Steps));
            }
            if (owner.FailWith is { } message) throw new InvalidOperationException(message);

            progress.Report(new GenerationProgress("decoding", 0, request.NumFrames, 0.85));
            var frame = new byte[request.Width * request.Height * 3];
            var decode = System.Diagnostics.Stopwatch.StartNew(); // "decode" as the real pipelines time it: writing every frame
            for (var i = 0; i < request.NumFrames; i++)
            {
                if (!owner.Black) Paint(frame, request.Width, request.Height, i);
                await sink.WriteFrameAsync(frame, token);
            }
            decode.Stop();
            if (request.GenerateAudio) await sink.WriteAudioAsync(Sine(24000, request.NumFrames / request.Fps), 24000, 2, token);
            if (owner.AfterFrames is { } after) await after(request);
            return new GenerationOutcome(new Dictionary<string, double> { ["denoising"] = 0.01, ["decode"] = Math.Round(decode.Elapsed.TotalSeconds, 4) });
        }

        private static void Paint(byte[] frame, int width, int height, int index)
        {
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var p = (y * width + x) * 3;
                frame[p] = (byte)(x + index * 4);
                frame[p + 1] = (byte)y;
                frame[p + 2] = (byte)(index * 8);
            }
        }

        private static float[] Sine(int rate, double seconds)
        {
            var pcm = new float[(int)(rate * seconds) * 2];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = 0.2f * MathF.Sin(2 * MathF.PI * 330 * (i / 2) / rate);
            return pcm;
        }
    }
}

/// <summary>An estimator double: peak memory proportional to pixels x frames.</summary>
public sealed class FakeVramEstimator(long bytesPerPixelFrame) : IVramEstimator
{
    public long EstimatePeakBytes(GenerationShape shape) => (long)shape.Width * shape.Height * shape.NumFrames * bytesPerPixelFrame;
}

/// <summary>A GPU inventory double with fixed free memory.</summary>
public sealed class FakeGpuInventory(params GpuInfo[] gpus) : IGpuInventory
{
    public IReadOnlyList<GpuInfo> List() => gpus;
}

/// <summary>Writes the ltx-model.json manifest the server's catalog looks for.</summary>
public static class ModelManifests
{
    public static string Write(string modelsDir, string id, bool isDefault = true, bool audio = true, params string[] pipelines)
    {
        var dir = Path.Combine(modelsDir, id);
        Directory.CreateDirectory(dir);
        var list = pipelines.Length == 0 ? ["distilled", "one-stage", "two-stage"] : pipelines;
        File.WriteAllText(Path.Combine(dir, "ltx-model.json"),
            $$"""{"id": "{{id}}", "aliases": ["{{id}}-alias"], "pipelines": [{{string.Join(", ", list.Select(p => $"\"{p}\""))}}], "audio": {{(audio ? "true" : "false")}}, "default": {{(isDefault ? "true" : "false")}}}""");
        return dir;
    }
}
