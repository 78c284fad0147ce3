using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines.Blocks;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The prompt-embedding cache in the generator, on the tiny model on the CPU: the second run of a request (positive and
/// negative prompt) takes both contexts from the cache, so the text encoder runs once per prompt and, under a plan that
/// loads networks per phase, is not even loaded (the ledger's text phase holds no weights); frames and soundtrack are
/// byte for byte those of a run without the cache.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class PromptCacheRunTests(TinyPlanModel tiny) : IClassFixture<TinyPlanModel>
{
    [Theory]
    [InlineData("sequential")]
    [InlineData("streamed+text-cpu")]
    public void A_repeated_request_encodes_each_prompt_once_and_writes_the_same_bytes(string planName)
    {
        var plan = MemoryPlan.Parse(planName);
        var request = tiny.Resolve(TinyPlanModel.Ask("two-stage", image: false));
        Assert.NotEqual(request.Prompt, request.NegativePrompt);
        var uncached = tiny.Run(plan, request);

        using var cache = new PromptEmbeddingCache(1L << 30);
        var cold = tiny.Run(plan, request, promptCache: cache);
        Assert.Equal((2L, 0L, 2), (cache.EncoderRuns, cache.Hits, cache.Count));
        var warm = tiny.Run(plan, request, promptCache: cache);
        Assert.Equal((2L, 2L), (cache.EncoderRuns, cache.Hits));

        Assert.Equal(uncached.Digest, cold.Digest);
        Assert.Equal(uncached.Digest, warm.Digest);
        Assert.True(cold.Ledger["text"]!.WeightBytes > 0, "a cold run loads the text encoder for the text phase");
        Assert.Equal(0, warm.Ledger["text"]!.WeightBytes);
        Assert.True(warm.Ledger["text"]!.ActivationBytes > 0, "the cached contexts are held on the compute device for the denoiser");
    }
}
