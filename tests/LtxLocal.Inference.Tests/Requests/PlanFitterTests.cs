using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Inference.Tests.Requests;

/// <summary>
/// The planner in the resolver: the fastest plan whose estimated peak fits the budget wins before any size changes; the
/// size steps down only when no plan fits; a job no plan fits even at the smallest size is refused with what would fit.
/// The memory here is a rule (bytes per pixel-frame per plan), so each expectation follows from the numbers alone.
/// </summary>
public sealed class PlanFitterTests
{
    private static readonly MemoryPlan Sequential = new(WeightPlacement.Sequential), ResidentFp8 = new(WeightPlacement.Resident, Fp8: true);

    /// <summary>A fixed cost per plan plus bytes per pixel-frame, against a budget.</summary>
    private sealed class RuleMemory(long? budget, Dictionary<MemoryPlan, long> fixedBytes) : IGenerationMemory
    {
        public long EstimatePeakBytes(GenerationShape shape) => Estimate(shape, MemoryPlan.Resident).PeakBytes;
        public long? FreeBytes() => budget;
        public IReadOnlyList<MemoryPlan> Plans => [.. fixedBytes.Keys];
        public PlanEstimate Estimate(GenerationShape shape, MemoryPlan plan) =>
            PlanEstimate.Single(plan, fixedBytes[plan] + (long)shape.Width * shape.Height * shape.NumFrames);
        public string BudgetName => "the test budget";
    }

    private static readonly ModelDescriptor Model = new("m", "/nowhere", [], PipelineNames.All, true, true, null, PromptEnhancement.Unsupported("no"), null);

    private static ResolvedGeneration Resolve(long? budget) =>
        new GenerationResolver(new ResolverLimits(), new RuleMemory(budget, new()
        {
            [MemoryPlan.Resident] = 60L << 30, [Sequential] = 30L << 30, [ResidentFp8] = 20L << 30,
        })).Resolve(new GenerationAsk("p") { Resolution = (1280, 704), Duration = 5, Fps = 25 }, Model);

    private static readonly long Pixels = 1280L * 704 * 121;

    [Theory]
    [InlineData(80L << 30, "resident")]
    [InlineData(40L << 30, "sequential")]
    [InlineData(25L << 30, "resident+fp8")]
    public void The_fastest_plan_that_fits_is_chosen_and_the_size_is_kept(long budget, string expected)
    {
        var resolved = Resolve(budget);
        Assert.Equal(expected, resolved.Request.MemoryPlan!.Plan);
        Assert.Equal((1280, 704, 121), (resolved.Request.Width, resolved.Request.Height, resolved.Request.NumFrames));
        Assert.True(resolved.Request.MemoryPlan.EstimatedPeakBytes <= budget);
        Assert.Equal(budget, resolved.Request.MemoryPlan.BudgetBytes);
        var planChange = resolved.Adjustments.SingleOrDefault(a => a.Field == "memory_plan");
        Assert.Equal(expected != "resident", planChange is not null);
        if (planChange is not null) Assert.Equal(expected, (string?)planChange.Applied);
        Assert.DoesNotContain(resolved.Adjustments, a => a.Field is "resolution" or "duration");
    }

    [Fact]
    public void Size_steps_down_only_when_no_plan_fits()
    {
        var resolved = Resolve((20L << 30) + Pixels / 2);
        Assert.Equal("resident+fp8", resolved.Request.MemoryPlan!.Plan);
        Assert.Contains(resolved.Adjustments, a => a.Field == "resolution");
        Assert.True(resolved.Request.Width < 1280);
    }

    [Fact]
    public void A_job_no_plan_fits_is_refused_with_what_would_fit()
    {
        var refusal = Assert.Throws<InvalidGenerationException>(() => Resolve(10L << 30));
        Assert.Contains("the test budget (10.0 GiB)", refusal.Message);
        Assert.Contains("resident+fp8", refusal.Message);
        Assert.Contains("would fit", refusal.Message);
    }

    [Fact]
    public void Without_a_budget_the_fastest_plan_runs_and_nothing_is_adjusted()
    {
        var resolved = Resolve(null);
        Assert.Equal("resident", resolved.Request.MemoryPlan!.Plan);
        Assert.Null(resolved.Request.MemoryPlan.BudgetBytes);
        Assert.Empty(resolved.Adjustments);
    }
}
