using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;

namespace LtxLocal.Cli.Tests;

/// <summary>`ltx-local plan --released`: the released configurations from the built executable, and its errors.</summary>
public sealed class PlanCommandTests
{
    [Fact]
    public async Task An_unknown_released_name_is_refused_naming_the_known_ones()
    {
        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), 120, "plan", "--released", "ltx-9-turbo", "--memory", "24GiB");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("no released configuration 'ltx-9-turbo'", output);
        Assert.Contains("ltx-2.3-distilled", output);
    }

    [Fact]
    public async Task A_released_configuration_plans_without_any_model_folder_and_the_table_is_the_readmes()
    {
        var empty = Directory.CreateTempSubdirectory("ltx-plan-").FullName;
        try
        {
            var (exitCode, output) = await CliProcess.RunAsync(empty, 120, "plan", "--released", "ltx-2.3-distilled", "--memory", "24GiB",
                "--sizes", "1280x704x121", "--pipeline", "distilled");
            Assert.True(exitCode == 0, output);
            Assert.Contains("LTX-2.3 22B distilled in 24.0 GiB", output);
            Assert.Contains("weights: transformer", output);
            Assert.DoesNotContain("none fits", output);

            var (listed, names) = await CliProcess.RunAsync(empty, 120, "plan", "--released");
            Assert.True(listed == 0, names);
            foreach (var name in new[] { "ltx-2-distilled", "ltx-2.3-dev", "ltx-2.5" }) Assert.Contains(name, names);

            var (tabled, table) = await CliProcess.RunAsync(empty, 120, "plan", "--released", "--table");
            Assert.True(tabled == 0, table);
            Assert.Equal(ReleasedPlanTable.Markdown().Trim(), table.Trim());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_pipeline_the_configuration_does_not_run_is_refused()
    {
        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), 120, "plan", "--released", "ltx-2.3-distilled", "--memory", "24GiB",
            "--pipeline", "two-stage");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("does not run the two-stage pipeline", output);
    }

    [Fact]
    public async Task Host_memory_below_the_chosen_plans_passes_it_over_for_the_next_plan_that_fits_both()
    {
        // The expectation comes from the estimator: the plan 24 GiB takes without a host bound keeps HostBytes in host
        // memory; one byte less passes it over, and the answer is the fastest plan within both (or none).
        var model = ReleasedModels.Find("ltx-2.3-distilled")!;
        var sizes = ModelSizes.FromConfigs(model.Configs);
        var shape = new GenerationShape(model.Name, PipelineNames.Distilled, 1280, 704, 121, model.HasAudio);
        var gpu = new VramEstimator();
        var unbounded = ReleasedPlanTable.Fastest(gpu, sizes, shape, 24L << 30, out _)!;
        Assert.True(unbounded.HostBytes > 0, $"{unbounded.Plan.Name} keeps nothing in host memory");
        var host = unbounded.HostBytes - 1;
        var expected = ReleasedPlanTable.Fastest(gpu, sizes, shape, 24L << 30, out var least, host);
        Assert.NotEqual(unbounded.Plan, expected?.Plan);

        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), 120, "plan", "--released", "ltx-2.3-distilled", "--memory", "24GiB",
            "--host-memory", host.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sizes", "1280x704x121", "--pipeline", "distilled");
        Assert.True(exitCode == 0, output);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("1280x704x121 distilled: ", StringComparison.Ordinal));
        var answer = line["1280x704x121 distilled: ".Length..].Split(';')[0];
        Assert.StartsWith(expected is null ? $"none fits (least: {least.Plan.Name}," : $"{expected.Plan.Name} (", answer);
        Assert.Contains($"passed over for host memory: ", line);
        Assert.Contains($"{unbounded.Plan.Name} (host {ByteSize.Gib(unbounded.HostBytes)})", line);
    }

    [Fact]
    public async Task A_bad_host_memory_size_is_refused_naming_the_option()
    {
        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), 120, "plan", "--released", "ltx-2.3-distilled", "--memory", "24GiB",
            "--host-memory", "lots");
        Assert.Equal(2, exitCode);
        Assert.Contains("--host-memory", output);
    }
}
