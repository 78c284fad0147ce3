using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench load`: writes a random bf16 transformer checkpoint of the released key layout (22B block sizes,
/// as many blocks as reach --size-gb) in a temp folder, loads it with the checkpoint loader, and reports peak resident
/// memory of the load against the file size. The file is deleted afterwards.
/// </summary>
public static class LoadBench
{
    public static Command Create()
    {
        var size = new Option<double>("--size-gb") { Description = "Checkpoint size to reach (GB)", DefaultValueFactory = _ => 2.0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var writeTo = new Option<string?>("--write-to") { Description = "Only write the checkpoint here (the bench runs this in a child process)" };
        var command = new Command("load", "Peak RSS of loading a random checkpoint vs its file size") { size, device, writeTo };
        command.SetAction(r => r.GetValue(writeTo) is { } target ? WriteOnly(target, r.GetValue(size)) : Run(r.GetValue(size), Device.Parse(r.GetValue(device)!)));
        return command;
    }

    private static int Run(double sizeGb, Device device)
    {
        var directory = Directory.CreateTempSubdirectory("ltx-load-bench").FullName;
        var path = Path.Combine(directory, "transformer.safetensors");
        try
        {
            // Written by a child process, so the writer's buffers never count towards this process's peak.
            using (var child = Process.Start(Environment.ProcessPath!, new[] { "bench", "load", "--size-gb", $"{sizeGb}", "--write-to", path }))
            {
                child.WaitForExit();
                if (child.ExitCode != 0) return child.ExitCode;
            }
            using var header = SafetensorsFile.Open(path);
            var config = LtxModelConfig.FromMetadata(header.Metadata, path);
            header.Dispose();
            long fileBytes = new FileInfo(path).Length;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = ResidentBytes("VmRSS");
            File.WriteAllText("/proc/self/clear_refs", "5"); // resets the peak (VmHWM) to the current RSS
            var watch = Stopwatch.StartNew();
            long lastReport = 0;
            var progress = new Progress<(long Loaded, long Total)>(p =>
            {
                if (p.Loaded - lastReport < 512L << 20 && p.Loaded != p.Total) return;
                lastReport = p.Loaded;
                Console.WriteLine($"  loaded {p.Loaded / 1e9:F2} of {p.Total / 1e9:F2} GB");
            });
            using var model = TransformerLoader.Load(path, new TransformerLoadOptions { Device = device, DType = DType.BFloat16, Progress = progress });
            double loadSeconds = watch.Elapsed.TotalSeconds;
            // Touch every parameter so mapped pages count as resident.
            double checksum = 0;
            foreach (var (_, t) in model.NamedParameters())
            {
                using var scope = TorchRuntime.NewDisposeScope();
                checksum += t.To(DType.Float32).Abs().Sum().Item();
            }
            long peak = ResidentBytes("VmHWM");
            var table = new Table().AddColumns("measurement", "value");
            table.AddRow("blocks (22B sizes)", $"{config.NumLayers}");
            table.AddRow("file size (GB)", $"{fileBytes / 1e9:F2}");
            table.AddRow("RSS before load (GB)", $"{before / 1e9:F2}");
            table.AddRow("peak RSS during load + touch (GB)", $"{peak / 1e9:F2}");
            table.AddRow("peak RSS / file size", $"{(double)peak / fileBytes:F2}");
            table.AddRow("(peak − before) / file size", $"{(double)(peak - before) / fileBytes:F2}");
            table.AddRow("load time (s)", $"{loadSeconds:F1}");
            table.AddRow("checksum", $"{checksum:G6}");
            AnsiConsole.Write(table);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int WriteOnly(string path, double sizeGb)
    {
        Write(path, sizeGb);
        return 0;
    }

    /// <summary>Writes blocks of the real key layout until the file reaches the size; returns the config written.</summary>
    private static LtxModelConfig Write(string path, double sizeGb)
    {
        var perBlock = new LtxModel(TransformerBench.FullSizeConfig(1), new ModuleOptions(DType.BFloat16, Device.Meta));
        long blockBytes = perBlock.StateDict().Where(p => p.Key.StartsWith("transformer_blocks.", StringComparison.Ordinal)).Sum(p => p.Value.Numel * 2);
        long topBytes = perBlock.StateDict().Sum(p => p.Value.Numel * 2) - blockBytes;
        perBlock.Dispose();
        int layers = (int)Math.Max(1, Math.Ceiling((sizeGb * 1e9 - topBytes) / blockBytes));
        var config = TransformerBench.FullSizeConfig(layers);
        using var meta = new LtxModel(config, new ModuleOptions(DType.BFloat16, Device.Meta));
        using var generator = new Generator(1);
        var source = new RandomTensorSource(meta.StateDict().ToDictionary(p => p.Key, p => p.Value.Shape), generator);
        using var scope = TorchRuntime.NewDisposeScope();
        var tensors = source.Keys.ToDictionary(k => TransformerKeys.Prefix + k, k => source.Load(k, Device.Cpu));
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["config"] = config.ToMetadataJson(), ["model_version"] = "2.3.0" });
        AnsiConsole.MarkupLine($"wrote {layers} blocks to {path}");
        return config;
    }

    private static long ResidentBytes(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
