using LtxLocal.Torch;

namespace LtxLocal.Cli.Tests;

public sealed class VersionTests
{
    [Fact]
    public async Task Version_names_the_build_the_libtorch_and_whether_cuda_is_compiled_in()
    {
        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), 60, "--version");
        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("ltx-local 0.", lines[0]);
        var torch = Assert.Single(lines, l => l.StartsWith("libtorch "));
        Assert.StartsWith($"libtorch {TorchRuntime.Version}, ", torch);
        Assert.Contains(Cuda.IsCompiled ? "CUDA compiled in" : "no CUDA compiled in", torch);
    }
}
