using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench torch`: the binding's per-op overhead (the same small ops timed through C# and, when
/// native/build/ltxnative_bench exists, from C++ directly) and the GEMM rate of the device.
/// </summary>
public static class TorchBench
{
    public static Command Create()
    {
        var iterations = new Option<int>("--iterations") { Description = "Small-op iterations", DefaultValueFactory = _ => 200_000 };
        var gemm = new Option<int>("--gemm-size") { Description = "Square GEMM size", DefaultValueFactory = _ => 4096 };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var command = new Command("torch", "Per-op overhead of the binding vs C++, and the fp32 GEMM rate") { iterations, gemm, device };
        command.SetAction(result => Run(result.GetValue(iterations), result.GetValue(gemm), Device.Parse(result.GetValue(device)!)));
        return command;
    }

    private static int Run(int iterations, int gemmSize, Device device)
    {
        AnsiConsole.MarkupLine($"libtorch [bold]{TorchRuntime.Version}[/], device [bold]{device}[/], CPU threads {TorchRuntime.NumThreads}");
        var table = new Table().AddColumns("measurement", "C# binding", "C++ direct");
        var native = RunNativeBaseline(iterations, gemmSize, device);

        using (var scope = TorchRuntime.NewDisposeScope())
        {
            var a = Tensor.Ones(new long[] { 4, 4 }, device: device);
            var b = Tensor.Ones(new long[] { 4, 4 }, device: device);
            double add = NanosPerOp(iterations, () => a.Add(b).Dispose());
            double mul = NanosPerOp(iterations, () => a.Mul(2.0).Dispose());
            table.AddRow("add 4x4 (ns/op)", $"{add:F0}", native.GetValueOrDefault("add_4x4", "-"));
            table.AddRow("mul scalar 4x4 (ns/op)", $"{mul:F0}", native.GetValueOrDefault("mul_scalar_4x4", "-"));
        }

        using (var scope = TorchRuntime.NewDisposeScope())
        {
            using var generator = new Generator(0, device);
            var x = Tensor.Randn(new long[] { gemmSize, gemmSize }, generator, device: device);
            var y = Tensor.Randn(new long[] { gemmSize, gemmSize }, generator, device: device);
            x.MatMul(y).Dispose();
            Sync(device);
            const int reps = 3;
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < reps; i++) x.MatMul(y).Dispose();
            Sync(device);
            double seconds = watch.Elapsed.TotalSeconds / reps;
            double gflops = 2.0 * gemmSize * gemmSize * (double)gemmSize / seconds / 1e9;
            table.AddRow($"fp32 GEMM {gemmSize}² (GFLOP/s)", $"{gflops:F1}", native.GetValueOrDefault($"gemm_{gemmSize}_gflops", "-"));
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static double NanosPerOp(int iterations, Action body)
    {
        for (int i = 0; i < iterations / 10; i++) body();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) body();
        return watch.Elapsed.TotalNanoseconds / iterations;
    }

    private static void Sync(Device device)
    {
        if (device.IsCuda) Cuda.Synchronize(device.Index);
    }

    // The C++ baseline is a CPU program; its numbers are only comparable on the CPU.
    private static Dictionary<string, string> RunNativeBaseline(int iterations, int gemmSize, Device device)
    {
        var result = new Dictionary<string, string>();
        var path = FindBaseline();
        if (path is null || device.IsCuda) return result;
        var info = new ProcessStartInfo(path, $"{iterations} {gemmSize}") { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        foreach (var line in process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2) result[parts[0]] = parts[1];
        }
        process.WaitForExit();
        return result;
    }

    private static string? FindBaseline()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "native", "build", "ltxnative_bench");
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
