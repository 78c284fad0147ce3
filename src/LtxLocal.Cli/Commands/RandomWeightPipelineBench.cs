using System.Diagnostics;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench pipeline --random-weights CONFIG`: the distilled pipeline end to end at a configuration's sizes with
/// random weights drawn on the device as each network loads (<see cref="RandomWeightModel"/>; nothing on disk but
/// headers): seconds per stage and the compute device's peak memory for one request. A small warm-up request runs first
/// (kernel selection, allocator), so the timed run is a worker's second job; loading is timed apart.
/// </summary>
public static class RandomWeightPipelineBench
{
    /// <summary>A configuration file (the released configurations' format), or the name of a configuration kept in the repository.</summary>
    public static System.Text.Json.Nodes.JsonObject Configuration(string nameOrPath) =>
        File.Exists(nameOrPath) ? RandomWeightModel.Read(nameOrPath)
        : ReleasedModels.Find(nameOrPath) is { } released ? RandomWeightModel.From(released)
        : throw new FileNotFoundException($"--random-weights: '{nameOrPath}' is neither a configuration file nor a released configuration " +
            $"({string.Join(", ", ReleasedModels.PerGeneration.Select(m => m.Name))})");

    public static async Task<int> Run(string configuration, bool fullTextEncoder, ComputeDevice device, int width, int height, int frames,
        CancellationToken token)
    {
        var models = Directory.CreateTempSubdirectory("ltx-random-weights-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            RandomWeightModel.Create(Path.Combine(models, RandomWeightModel.Id), Configuration(configuration), fullTextEncoder);
            double headers = clock.Elapsed.TotalSeconds;
            var descriptor = new ModelDirectoryCatalog(models).Resolve(RandomWeightModel.Id) ?? throw new InvalidOperationException($"no model in {models}");
            if (descriptor.Problem is not null) throw new InvalidOperationException($"the random-weight model cannot run: {descriptor.Problem}");
            var ffmpeg = FfmpegTools.Locate(null, null);
            clock.Restart();
            using var generator = (LtxVideoGenerator)new LtxGeneratorFactory().Create(descriptor, device);
            // Warm-up at the smallest size the pipeline takes; loads every resident network (the load is timed here).
            await PipelineBench.Run(generator, PipelineBench.Request(descriptor, PipelineNames.Distilled, 64, 64, 9), ffmpeg, token);
            double warmUp = clock.Elapsed.TotalSeconds;
            GC.Collect();
            PipelineBench.ResetPeak(device);
            clock.Restart();
            var request = PipelineBench.Request(descriptor, PipelineNames.Distilled, width, height, frames);
            var (timings, mux) = await PipelineBench.Run(generator, request, ffmpeg, token);
            double total = clock.Elapsed.TotalSeconds;
            long peak = PipelineBench.Peak(device);

            var table = new Table().AddColumns("measurement", "value");
            table.AddRow("headers written (s)", $"{headers:F2}");
            table.AddRow("load + warm-up 64x64x9 (s)", $"{warmUp:F2}");
            foreach (var (stage, seconds) in timings.OrderBy(p => p.Key, StringComparer.Ordinal)) table.AddRow($"{stage} (s)", $"{seconds:F3}");
            table.AddRow("mux (s)", $"{mux:F3}");
            table.AddRow("total (s)", $"{total:F2}");
            table.AddRow($"peak memory MiB ({(device.IsCuda ? "GPU allocator peak" : "process VmHWM")})", $"{peak / 1048576.0:F0}");
            AnsiConsole.MarkupLine($"[bold]distilled pipeline, random weights[/] ({Markup.Escape(configuration)}, text encoder {(fullTextEncoder ? "full" : "tiny")}, " +
                $"{generator.Model.Device}, {generator.Model.DType}, {request.Width}x{request.Height}x{request.NumFrames})");
            AnsiConsole.Write(table);
            return 0;
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
