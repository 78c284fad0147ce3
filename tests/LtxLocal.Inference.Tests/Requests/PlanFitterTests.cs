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

    /// <summary>A fixed cost per plan plus bytes per pixel-frame, against a budget; optionally host bytes per plan against a host budget.</summary>
    private sealed class RuleMemory(long? budget, Dictionary<MemoryPlan, long> fixedBytes, long? hostBudget = null, Dictionary<MemoryPlan, long>? hostBytes = null)
        : IGenerationMemory
    {
        public long EstimatePeakBytes(GenerationShape shape) => Estimate(shape, MemoryPlan.Resident).PeakBytes;
        public long? FreeBytes() => budget;
        public IReadOnlyList<MemoryPlan> Plans => [.. fixedBytes.Keys];
        public PlanEstimate Estimate(GenerationShape shape, MemoryPlan plan) =>
            new(plan, [new PhaseEstimate("job", fixedBytes[plan] + (long)shape.Width * shape.Height * shape.NumFrames, 0, 0)], 0,
                hostBytes?.GetValueOrDefault(plan) ?? 0);
        public string BudgetName => "the test budget";
        public long? HostFreeBytes() => hostBudget;
        public string HostBudgetName => "the test host";
    }

    private static readonly ModelDescriptor Model = new("m", "/nowhere", [], PipelineNames.All, true, true, null, PromptEnhancement.Unsupported("no"), null);

    private static ResolvedGeneration Resolve(long? budget) =>
        new GenerationResolver(new ResolverLimits(), new RuleMemory(budget, new()
        {
            [MemoryPlan.Resident] = 60L << 30, [Sequential] = 30L << 30, [ResidentFp8] = 20L << 30,
        })).Resolve(new GenerationAsk("p") { Resolution = (1280, 704), Duration = 5, Fps = 25 }, Model);

    /// <summary>Resident needs 60 GiB of device and <paramref name="residentHost"/> of host; sequential 30 GiB of device and 40 GiB of host; resident+fp8 20 GiB of device and <paramref name="fp8Host"/> of host.</summary>
    private static ResolvedGeneration ResolveWithHost(long hostBudget, long fp8Host, long? deviceBudget = 40L << 30, long residentHost = 0) =>
        new GenerationResolver(new ResolverLimits(), new RuleMemory(deviceBudget, new()
        {
            [MemoryPlan.Resident] = 60L << 30, [Sequential] = 30L << 30, [ResidentFp8] = 20L << 30,
        }, hostBudget, new() { [MemoryPlan.Resident] = residentHost, [Sequential] = 40L << 30, [ResidentFp8] = fp8Host })).Resolve(new GenerationAsk("p") { Resolution = (1280, 704), Duration = 5, Fps = 25 }, Model);

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

    [Fact]
    public void A_plan_whose_host_memory_does_not_fit_is_passed_over_for_the_next_that_fits_both_saying_why()
    {
        var resolved = ResolveWithHost(32L << 30, fp8Host: 0);
        Assert.Equal("resident+fp8", resolved.Request.MemoryPlan!.Plan);
        Assert.Equal((1280, 704, 121), (resolved.Request.Width, resolved.Request.Height, resolved.Request.NumFrames));
        var change = Assert.Single(resolved.Adjustments, a => a.Field == "memory_plan");
        Assert.Equal("resident+fp8", (string?)change.Applied);
        Assert.Contains("sequential needs 40.0 GiB of host memory", change.Reason);
        Assert.Contains("the host has 32.0 GiB available (the test host)", change.Reason);
        // With room for sequential's host memory, sequential (faster) wins again.
        Assert.Equal("sequential", ResolveWithHost(40L << 30, fp8Host: 0).Request.MemoryPlan!.Plan);
    }

    [Fact]
    public void A_job_whose_device_fitting_plans_all_exceed_the_host_memory_is_refused_naming_host_memory()
    {
        var refusal = Assert.Throws<InvalidGenerationException>(() => ResolveWithHost(32L << 30, fp8Host: 36L << 30));
        Assert.Contains("does not fit the host memory", refusal.Message);
        Assert.Contains("36.0 GiB with the resident+fp8 plan", refusal.Message);
        Assert.Contains("the host has 32.0 GiB available (the test host)", refusal.Message);
        Assert.Contains("would fit", refusal.Message);
    }

    [Fact]
    public void Without_a_device_budget_a_host_budget_alone_still_passes_plans_over()
    {
        // A CPU worker with only Ltx:HostMemoryLimit: every plan fits the device; host memory alone decides.
        var resolved = ResolveWithHost(32L << 30, fp8Host: 0, deviceBudget: null, residentHost: 50L << 30);
        Assert.Equal("resident+fp8", resolved.Request.MemoryPlan!.Plan);
        Assert.Null(resolved.Request.MemoryPlan.BudgetBytes);
        var change = Assert.Single(resolved.Adjustments);
        Assert.Equal("memory_plan", change.Field);
        Assert.Contains("resident needs 50.0 GiB, sequential needs 40.0 GiB of host memory", change.Reason);
        Assert.DoesNotContain("exceeds", change.Reason);
        Assert.Equal("resident", ResolveWithHost(50L << 30, fp8Host: 0, deviceBudget: null, residentHost: 50L << 30).Request.MemoryPlan!.Plan);
    }
}
