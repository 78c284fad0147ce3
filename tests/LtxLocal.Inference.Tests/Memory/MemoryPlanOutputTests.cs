using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// Where the weights live must not change a single output byte: the tiny model on the CPU gives the same frames and
/// soundtrack for the same seed under every plan, for text-to-video, image-to-video and two-stage. fp8 changes numbers,
/// so the fp8 plans are compared with each other.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class MemoryPlanOutputTests(TinyPlanModel tiny) : IClassFixture<TinyPlanModel>
{
    public static TheoryData<string, bool> Jobs => new()
    {
        { "distilled", false }, // text-to-video (two stages inside: half resolution, upsampler, full resolution)
        { "distilled", true },  // image-to-video
        { "two-stage", false }, // guided stage 1, distilled LoRA stage 2
    };

    [Theory]
    [MemberData(nameof(Jobs))]
    public void Every_plan_writes_the_same_bytes(string pipeline, bool image)
    {
        var request = tiny.Resolve(TinyPlanModel.Ask(pipeline, image));
        var references = new List<string>();
        foreach (var fp8 in new[] { false, true })
        {
            var plans = MemoryPlan.FastestFirst.Where(p => p.Fp8 == fp8).ToList();
            var digests = plans.ToDictionary(p => p.Name, p => tiny.Run(p, request).Digest);
            var reference = digests[plans[0].Name];
            Assert.All(digests, d => Assert.True(d.Value == reference, $"{d.Key} wrote other bytes than {plans[0].Name}"));
            references.Add(reference);
        }
        // fp8 storage really is in effect: it rounds the projections, so its output differs from the exact plans'.
        Assert.NotEqual(references[0], references[1]);
    }
}
