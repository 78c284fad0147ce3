using LtxLocal.Inference.Tiny;

namespace LtxLocal.Cli.Tests;

/// <summary>
/// `bench pipeline --random-weights`: the distilled pipeline end to end on a configuration's sizes, weights drawn when
/// loaded. Run here on the tiny model's configuration (the released ones need a GPU's memory); the text encoder comes
/// from the configuration (header-only Gemma) or is the tiny one.
/// </summary>
public sealed class RandomWeightBenchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-rwb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("full")]
    [InlineData("tiny")]
    public async Task Bench_pipeline_runs_the_distilled_pipeline_on_random_weights_of_a_configuration(string textEncoder)
    {
        var configuration = Path.Combine(_dir, "tiny-configuration.json");
        File.WriteAllText(configuration, RandomWeightModel.TinyConfiguration().ToJsonString());
        var temp = Path.Combine(_dir, "tmp");
        Directory.CreateDirectory(temp);

        var (exitCode, output) = await CliProcess.RunAsync(_dir, 600, ["bench", "pipeline", "--random-weights", configuration,
            "--text-encoder", textEncoder, "--device", "cpu", "--resolution", "128x128", "--frames", "9"], ("TMPDIR", temp));

        Assert.True(exitCode == 0, output);
        Assert.Contains($"text encoder {textEncoder}", output);
        Assert.Contains("128x128x9", output);
        foreach (var stage in new[] { "text (s)", "denoise_per_step (s)", "decode (s)", "audio (s)", "total (s)", "peak memory MiB" })
            Assert.Contains(stage, output);
        Assert.Empty(Directory.GetFileSystemEntries(temp)); // the header-only model folder is removed afterwards
    }

    [Fact]
    public async Task Bench_pipeline_names_a_missing_configuration()
    {
        var (exitCode, output) = await CliProcess.RunAsync(_dir, 120, ["bench", "pipeline", "--random-weights", Path.Combine(_dir, "none.json")]);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("none.json", output);
    }
}
