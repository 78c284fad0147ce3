using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench pipeline`: wall time by stage (text, denoise per step, upsample, decode, audio, mux) of each
/// pipeline, and the VRAM estimator's predicted peak against the measured peak (CPU: VmHWM, reset between runs through
/// /proc/self/clear_refs; GPU: the allocator's peak) for several request sizes. Uses the tiny model unless --model names one;
/// with --random-weights CONFIG, the distilled pipeline alone at a configuration's sizes (<see cref="RandomWeightPipelineBench"/>).
/// </summary>
public static class PipelineBench
{
    public static Command Create()
    {
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models directory (default: a fresh tiny model in a temp folder)" };
        var model = new Option<string>("--model") { Description = "Model id or alias", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var size = new Option<string>("--resolution") { Description = "Timing run size", DefaultValueFactory = _ => "128x128" };
        var sizes = new Option<string>("--memory-sizes") { Description = "Sizes for the memory table (WxH@frames)",
            DefaultValueFactory = _ => "128x128@97,256x256@97,384x384@97,512x512@121,768x448@121,1024x576@97" };
        var frames = new Option<int>("--frames") { Description = "Frames of the timing run (8k+1)", DefaultValueFactory = _ => 97 };
        var random = new Option<string?>("--random-weights") { Description = "A released configuration (ltx-2.3, ltx-2) or a configuration file: the distilled pipeline at its sizes, random weights drawn on the device" };
        var textEncoder = new Option<string>("--text-encoder") { Description = "With --random-weights: full (the configuration's Gemma) or tiny", DefaultValueFactory = _ => "full" };
        textEncoder.AcceptOnlyFromAmong("full", "tiny");
        var command = new Command("pipeline", "Stage timings and estimated vs measured peak memory of the pipelines") { modelsDir, model, device, size, frames, sizes, random, textEncoder };
        command.SetAction(async (r, token) =>
        {
            if (r.GetValue(random) is { } configuration)
            {
                var (width, height) = Parse(r.GetValue(size)!);
                return await RandomWeightPipelineBench.Run(configuration, r.GetValue(textEncoder) == "full", new ComputeDevice(r.GetValue(device)!),
                    width, height, r.GetValue(frames), token);
            }
            string? temp = null;
            var dir = r.GetValue(modelsDir);
            if (dir is null)
            {
                temp = dir = Directory.CreateTempSubdirectory("ltx-bench-").FullName;
                TinyModel.Create(Path.Combine(dir, "tiny"));
            }
            try
            {
                var catalog = new ModelDirectoryCatalog(dir);
                var descriptor = catalog.Resolve(r.GetValue(model)!) ?? throw new InvalidOperationException($"no model '{r.GetValue(model)}' in {dir}");
                var computeDevice = new ComputeDevice(r.GetValue(device)!);
                using var generator = (LtxVideoGenerator)new LtxGeneratorFactory().Create(descriptor, computeDevice);
                var ffmpeg = FfmpegTools.Locate(null, null);
                var (w, h) = Parse(r.GetValue(size)!);
                await Timings(generator, descriptor, ffmpeg, w, h, r.GetValue(frames), token);
                await PlanTable(generator, descriptor, ffmpeg, w, h, r.GetValue(frames), token);
                await MemoryTable(generator, catalog, descriptor, computeDevice, r.GetValue(sizes)!, token);
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
            return 0;
        });
        return command;
    }

    /// <summary>The resolver's request for this size (8 steps on guided pipelines), with exactly <paramref name="frames"/> frames.</summary>
    internal static GenerationRequest Request(ModelDescriptor model, string pipeline, int w, int h, int frames) =>
        new GenerationResolver(new ResolverLimits(int.MaxValue, int.MaxValue)).Resolve(new GenerationAsk("a lighthouse at dusk, waves below")
        {
            Pipeline = pipeline, Resolution = (w, h), Fps = 25, Seed = 7, Steps = PipelineNames.IsGuided(pipeline) ? 8 : null,
        }, model).Request with { NumFrames = frames };

    private static async Task Timings(LtxVideoGenerator generator, ModelDescriptor model, FfmpegTools ffmpeg, int w, int h, int frames, CancellationToken token)
    {
        var table = new Table().AddColumns("pipeline", "size", "steps", "text s", "denoise s/step", "upsample s", "decode s", "audio s", "mux s", "total s");
        await Run(generator, Request(model, PipelineNames.Distilled, w, h, frames), ffmpeg, token); // warm-up (JIT, allocator)
        foreach (var pipeline in model.Pipelines)
        {
            var request = Request(model, pipeline, w, h, frames);
            var clock = Stopwatch.StartNew();
            var (t, mux) = await Run(generator, request, ffmpeg, token);
            int steps = pipeline == PipelineNames.Distilled ? (PipelineNames.HalvesCleanly(w, h) ? 11 : 8) : request.Steps!.Value + (pipeline == PipelineNames.TwoStage ? 3 : 0);
            string S(string key) => t.TryGetValue(key, out var v) ? $"{v:F3}" : "-";
            table.AddRow(pipeline, $"{w}x{h}x{request.NumFrames}", $"{steps}", S("text"), S("denoise_per_step"), S("upsample"), S("decode"), S("audio"),
                $"{mux:F3}", $"{clock.Elapsed.TotalSeconds:F2}");
        }
        AnsiConsole.MarkupLine($"[bold]stage wall times[/] ({model.Id}, {generator.Model.Device}, {generator.Model.DType})");
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// Every memory plan on one distilled job: wall time and its overhead against resident, the transformer bytes copied
    /// per denoising step (streamed: its blocks once a step) and the ledger's peak on the compute device.
    /// </summary>
    private static async Task PlanTable(LtxVideoGenerator generator, ModelDescriptor model, FfmpegTools ffmpeg, int w, int h, int frames, CancellationToken token)
    {
        var table = new Table().AddColumns("plan", "total s", "vs resident", "copied MiB/step", "steps", "ledger peak MiB");
        var request = Request(model, PipelineNames.Distilled, w, h, frames);
        double? resident = null;
        foreach (var plan in MemoryPlan.FastestFirst)
        {
            var planned = request with { MemoryPlan = new PlannedMemory(plan.Name, 0, null, 0) };
            await Run(generator, planned, ffmpeg, token); // loads the plan's networks once, as a worker's first job would
            var clock = Stopwatch.StartNew();
            await Run(generator, planned, ffmpeg, token);
            double seconds = clock.Elapsed.TotalSeconds;
            resident ??= seconds;
            var ledger = generator.LastLedger!;
            table.AddRow(plan.Name, $"{seconds:F2}", $"{(seconds / resident.Value - 1) * 100:+0;-0}%",
                $"{ledger.BytesCopied / (double)Math.Max(1, ledger.Steps) / (1 << 20):F3}", $"{ledger.Steps}", $"{ledger.PeakBytes / (double)(1 << 20):F1}");
        }
        AnsiConsole.Write(table);
    }

    internal static async Task<(IReadOnlyDictionary<string, double> Timings, double Mux)> Run(LtxVideoGenerator generator, GenerationRequest request,
        FfmpegTools ffmpeg, CancellationToken token)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ltx-bench-{Guid.NewGuid():N}.mp4");
        try
        {
            await using var encoder = VideoEncoder.Start(ffmpeg, new EncodeSettings(request.Width, request.Height, request.Fps, OutputFormat.Mp4), path);
            var outcome = await generator.GenerateAsync(request, [], new EncoderSink(encoder), new Progress<GenerationProgress>(), token);
            var clock = Stopwatch.StartNew();
            await encoder.CompleteAsync(token);
            return (outcome.TimingsSeconds, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task MemoryTable(LtxVideoGenerator generator, IModelCatalog catalog, ModelDescriptor model, ComputeDevice device, string spec,
        CancellationToken token)
    {
        bool cuda = device.IsCuda;
        var estimator = new VramEstimator(catalog, elementSize: cuda ? 2 : 4, fusedAttention: cuda);
        var table = new Table().AddColumns("pipeline", "size", "frames", "tokens", "predicted MiB", "measured MiB", "predicted/measured");
        foreach (var item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (w, h) = Parse(item.Split('@')[0]);
            int frames = int.Parse(item.Split('@')[1]);
            var request = Request(model, PipelineNames.Distilled, w, h, frames);
            GC.Collect();
            ResetPeak(device);
            await generator.GenerateAsync(request, [], new DiscardSink(), new Progress<GenerationProgress>(), token);
            long measured = Peak(device);
            long predicted = estimator.EstimatePeakBytes(new GenerationShape(model.Id, request.Pipeline, w, h, frames, request.GenerateAudio));
            long tokens = ((frames - 1) / 8 + 1) * (long)(h / 32) * (w / 32);
            table.AddRow(request.Pipeline, $"{w}x{h}", $"{frames}", $"{tokens}", $"{predicted / 1048576.0:F0}", $"{measured / 1048576.0:F0}", $"{predicted / (double)measured:F2}");
        }
        AnsiConsole.MarkupLine($"[bold]peak memory[/] ({(cuda ? "GPU allocator peak" : "process VmHWM")})");
        AnsiConsole.Write(table);
    }

    internal static void ResetPeak(ComputeDevice device)
    {
        if (device.IsCuda) LtxLocal.Torch.Cuda.ResetPeakMemoryStats(device.Index);
        else File.WriteAllText("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
    }

    internal static long Peak(ComputeDevice device)
    {
        if (device.IsCuda) return LtxLocal.Torch.Cuda.MemoryStats(device.Index).PeakAllocated;
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static (int W, int H) Parse(string text)
    {
        var parts = text.Split('x');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }

    /// <summary>Takes the frames and audio and drops them: the memory table measures the generator alone.</summary>
    private sealed class DiscardSink : IFrameSink
    {
        public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
