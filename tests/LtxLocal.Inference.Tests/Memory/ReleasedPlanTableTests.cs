using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// What the planner says for the released LTX-2.3 configuration on a GPU, and the README's table of what fits which GPU
/// (it must equal `ltx-local plan --released --table`, so it cannot go stale).
/// </summary>
public sealed class ReleasedPlanTableTests
{
    private static readonly VramEstimator Gpu = new();

    private static (PlanEstimate? Fits, PlanEstimate Least, ModelSizes Sizes, GenerationShape Shape) Plan(long gib)
    {
        var model = ReleasedModels.Find("ltx-2.3-distilled")!;
        var sizes = ModelSizes.FromConfigs(model.Configs);
        var shape = new GenerationShape(model.Name, PipelineNames.Distilled, 1280, 704, 121, GenerateAudio: true);
        var fits = ReleasedPlanTable.Fastest(Gpu, sizes, shape, gib << 30, out var least);
        return (fits, least, sizes, shape);
    }

    [Fact]
    public void LTX_2_3_distilled_1280x704x121_with_audio_fits_24_GiB_with_an_fp8_transformer_and_streamed_fp8_fits_too()
    {
        var (fits, _, sizes, shape) = Plan(24);
        Assert.NotNull(fits);
        Assert.True(fits.PeakBytes <= 24L << 30);
        // The bf16 transformer alone (about 35 GiB) cannot be on a 24 GiB device, nor Gemma 3 12B with the text
        // connectors (about 28 GiB): the plan stores the transformer in fp8 and runs the text encoder on the CPU.
        Assert.True(fits.Plan.Fp8 && fits.Plan.TextEncoderOnCpu, fits.Plan.Name);
        var streamed = Gpu.Estimate(sizes, shape, new MemoryPlan(WeightPlacement.Streamed, Fp8: true, TextEncoderOnCpu: true));
        Assert.True(streamed.PeakBytes <= 24L << 30);
        Assert.True(streamed.PeakBytes < fits.PeakBytes);
        // Below what any plan needs, nothing fits and the least peak is a streamed plan.
        var (none, least, _, _) = Plan(2);
        Assert.Null(none);
        Assert.Equal(WeightPlacement.Streamed, least.Plan.Placement);
    }

    [Fact]
    public void LTX_2_3_distilled_1280x704x121_with_audio_fits_48_GiB_without_streaming()
    {
        var (fits, _, _, _) = Plan(48);
        Assert.NotNull(fits);
        Assert.True(fits.PeakBytes <= 48L << 30);
        Assert.NotEqual(WeightPlacement.Streamed, fits.Plan.Placement);
        Assert.False(fits.Plan.Fp8);
    }

    [Fact]
    public void The_README_table_is_the_commands_output()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        int begin = readme.IndexOf(ReleasedPlanTable.BeginMarker, StringComparison.Ordinal);
        int end = readme.IndexOf(ReleasedPlanTable.EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md has no released-plan-table markers");
        var inReadme = readme[(begin + ReleasedPlanTable.BeginMarker.Length)..end].Trim('\n');
        var expected = ReleasedPlanTable.Markdown().Trim('\n');
        Assert.True(expected == inReadme,
            $"README.md's table is stale; replace it with the output of `ltx-local plan --released --table`:\n{expected}");
        // Every released generation x size x pipeline is a row.
        Assert.Equal(3 * ReleasedPlanTable.Sizes.Count * 2 + 2, expected.Split('\n').Length);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LtxLocal.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no LtxLocal.sln above {AppContext.BaseDirectory}");
    }
}
