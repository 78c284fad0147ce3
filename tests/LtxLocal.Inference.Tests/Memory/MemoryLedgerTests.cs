using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Requests;
using Xunit.Abstractions;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The generator's ledger against the estimator, per plan, on the tiny model on the CPU: the ledger's peak (weights and
/// held activations placed on the compute device) stays under the plan's estimated peak (the budget the planner fits it
/// into) and matches the estimator's ledger column within 10 %; the streamed plan copies the transformer's blocks once per
/// denoising step (not once per guidance pass).
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class MemoryLedgerTests(TinyPlanModel tiny, ITestOutputHelper output) : IClassFixture<TinyPlanModel>
{
    private VramEstimator Estimator() => new(new ModelDirectoryCatalog(Path.GetDirectoryName(tiny.Directory)!), elementSize: 4, fusedAttention: false);

    [Theory]
    [InlineData("streamed", "distilled")]
    [InlineData("streamed+fp8", "two-stage")]
    public void Streamed_blocks_are_copied_once_per_step_whatever_the_guidance_passes(string name, string pipeline)
    {
        var plan = MemoryPlan.Parse(name);
        var request = tiny.Resolve(TinyPlanModel.Ask(pipeline, image: false));
        var ledger = tiny.Run(plan, request).Ledger;
        var weights = NetworkWeights.Read(tiny.Files);
        long blocks = weights.BlockBytes(4, plan.Fp8) * weights.TransformerLayers;
        int steps = pipeline == "distilled" ? 8 + 3 : request.Steps!.Value + 3;
        Assert.Equal(steps, ledger.Steps);
        Assert.True(blocks > 0);
        Assert.Equal(blocks * steps, ledger.BytesCopied);
    }

    [Fact]
    public void Resident_and_sequential_plans_copy_nothing()
    {
        var request = tiny.Resolve(TinyPlanModel.Ask("distilled", image: false));
        Assert.Equal(0, tiny.Run(MemoryPlan.Resident, request).Ledger.BytesCopied);
        Assert.Equal(0, tiny.Run(MemoryPlan.Parse("sequential"), request).Ledger.BytesCopied);
    }

    public static TheoryData<string> Plans => [.. MemoryPlan.FastestFirst.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Plans))]
    public void Ledger_peak_is_under_the_budget_and_within_a_tenth_of_the_estimate(string name)
    {
        var plan = MemoryPlan.Parse(name);
        foreach (var pipeline in new[] { "distilled", "two-stage" })
        {
            var request = tiny.Resolve(TinyPlanModel.Ask(pipeline, image: false));
            var ledger = tiny.Run(plan, request).Ledger;
            var estimate = Estimator().Estimate(new GenerationShape(request.ModelId, request.Pipeline, request.Width, request.Height, request.NumFrames, request.GenerateAudio), plan);
            foreach (var phase in ledger.Phases)
                output.WriteLine($"{pipeline} {name} {phase.Phase}: ledger {phase.WeightBytes}+{phase.ActivationBytes}, " +
                    $"estimate {estimate[phase.Phase]?.WeightBytes}+{estimate[phase.Phase]?.HeldBytes}");

            Assert.True(ledger.PeakBytes <= estimate.PeakBytes, $"{pipeline}: ledger peak {ledger.PeakBytes} over the budget {estimate.PeakBytes}");
            double ratio = ledger.PeakBytes / (double)estimate.LedgerPeakBytes;
            Assert.True(ratio is > 0.9 and < 1.1, $"{pipeline}: ledger peak {ledger.PeakBytes} vs estimated {estimate.LedgerPeakBytes} ({ratio:F3})");
        }
    }
}
