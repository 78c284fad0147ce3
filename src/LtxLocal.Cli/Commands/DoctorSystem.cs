using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>The system half of `ltx-local doctor`: libtorch, compiled features, devices, FFmpeg, model folders.</summary>
public static class DoctorSystem
{
    /// <summary>Prints the report; false when something the server needs is missing or broken.</summary>
    public static bool Report(string modelsDir)
    {
        bool healthy = true;
        string version;
        try { version = TorchRuntime.Version; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]native runtime: {e.Message}[/] (build native/ with native/build.sh, or set LTX_NATIVE_LIB)");
            return false;
        }
        AnsiConsole.MarkupLineInterpolated($"libtorch: [bold]{version}[/]");
        AnsiConsole.MarkupLineInterpolated($"  fused SDPA: {OnOff(TorchRuntime.HasFusedAttention)}, native float8: {OnOff(TorchRuntime.Float8IsNative)}, CUDA: {OnOff(Cuda.IsCompiled)}, CPU threads: {TorchRuntime.NumThreads}");
        if (!TorchRuntime.CpuOneDnnConvolutionsOk)
            AnsiConsole.MarkupLine("  CPU convolutions: ATen's own kernels (this libtorch's oneDNN gave wrong results in the shim's check; slower, right)");

        if (Cuda.IsAvailable)
        {
            for (int i = 0; i < Cuda.DeviceCount; i++)
            {
                var (major, minor) = Cuda.ComputeCapability(i);
                var (free, total) = Cuda.MemoryInfo(i);
                AnsiConsole.MarkupLineInterpolated($"  cuda:{i}: {Cuda.DeviceName(i)}, compute capability {major}.{minor}, {Gib(free)} free of {Gib(total)}");
            }
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"  devices: cpu only ({(Cuda.IsCompiled ? "CUDA compiled in, no device visible" : "CPU-only build")})");
        }

        try { AnsiConsole.MarkupLineInterpolated($"ffmpeg: {FfmpegTools.Locate().Version}"); }
        catch (MediaException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]ffmpeg: {e.Message}[/]");
            healthy = false;
        }

        var catalog = new ModelDirectoryCatalog(modelsDir);
        var models = catalog.List();
        AnsiConsole.MarkupLineInterpolated($"models under {catalog.ModelsDirectory}: {(models.Count == 0 ? "none (see models/README.md, or `ltx-local models create-tiny`)" : models.Count.ToString())}");
        foreach (var m in models)
            AnsiConsole.MarkupLineInterpolated(
                $"  {m.Id}{(m.IsDefault ? " (default)" : "")}: pipelines {string.Join(", ", m.Pipelines)}; audio {(m.HasAudio ? "yes" : "no")}; prompt enhancement {(m.Enhancement is null ? "no" : "yes")}");
        foreach (var problem in catalog.Problems)
            AnsiConsole.MarkupLineInterpolated($"  [yellow]skipped {problem}[/]");
        return healthy;
    }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):F1} GiB";
}
