using LtxLocal.Models.TextEncoder.Enhancement;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>A tiny random Gemma 3 in Google's layout, created once for the class.</summary>
public sealed class TinyGemmaFolder : IDisposable
{
    public TinyGemmaFolder()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ltx-enhance-").FullName;
        TinyGemma.Create(Directory, new TinyGemmaOptions(Layers: 2, Shards: 1));
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[Trait("Component", "tokenizer")]
public class PromptEnhancerTests(TinyGemmaFolder folder) : IClassFixture<TinyGemmaFolder>
{
    private const string System = "Rewrite the prompt as a detailed video description.";
    private const string Prompt = "a fox in the snow";

    private PromptEnhancer Enhancer(Func<Gemma3Config, Gemma3Config>? edit = null)
    {
        using var configJson = GemmaCheckpoint.ReadConfig(folder.Directory);
        var config = Gemma3Config.FromJson(configJson.RootElement);
        if (edit is not null) config = edit(config);
        using var weights = GemmaCheckpoint.OpenWeights(folder.Directory) as IDisposable;
        var model = GemmaCheckpoint.Load(o => new Gemma3TextModel(config, o), (LtxLocal.Torch.ITensorSource)weights!, Device.Cpu, DType.Float32);
        return new PromptEnhancer(model, GemmaTokenizer.Load(folder.Directory));
    }

    [Fact]
    public void Greedy_decoding_is_deterministic_and_bounded()
    {
        var options = new EnhanceOptions(Sample: false, MaxNewTokens: 8);
        var first = Enhancer().Generate(Prompt, System, options);
        var second = Enhancer().Generate(Prompt, System, options with { Seed = 99 });

        Assert.Equal(first, second);
        Assert.InRange(first.Count, 0, 8);
    }

    [Fact]
    public void Generation_stops_before_an_end_of_sequence_token()
    {
        var options = new EnhanceOptions(Sample: false, MaxNewTokens: 8);
        var free = Enhancer().Generate(Prompt, System, options);
        Assert.True(free.Count >= 4, $"the tiny model stopped after {free.Count} tokens; pick another prompt");
        int stop = free[3];

        var stopped = Enhancer(c => c with { Tower = c.Tower with { EosTokenIds = [stop] } }).Generate(Prompt, System, options);

        Assert.Equal(free.TakeWhile(id => id != stop), stopped);
    }

    [Fact]
    public void Sampling_with_a_seed_is_reproducible_and_top_k_one_is_greedy()
    {
        var sampled = new EnhanceOptions(MaxNewTokens: 6, Seed: 3);
        Assert.Equal(Enhancer().Generate(Prompt, System, sampled), Enhancer().Generate(Prompt, System, sampled));
        Assert.Equal(Enhancer().Generate(Prompt, System, new EnhanceOptions(Sample: false, MaxNewTokens: 6)),
            Enhancer().Generate(Prompt, System, sampled with { TopK = 1 }));
    }
}

[Trait("Component", "tokenizer")]
public class GemmaSamplerTests
{
    [Fact]
    public void No_repeat_ngram_bans_the_token_that_would_repeat_a_trigram()
    {
        Assert.Equal(new long[] { 7 }, GemmaSampler.BannedByNgrams([5, 6, 7, 5, 6], 3));
        Assert.Empty(GemmaSampler.BannedByNgrams([5, 6, 7, 5, 8], 3));
    }

    [Fact]
    public void Top_p_keeps_only_the_nucleus()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(0);
        var logits = Tensor.From(new float[] { 0, 5, 1, 4.9f }, 4);                     // p ~ [.00, .52, .01, .47]
        var options = new EnhanceOptions(Temperature: 1, TopK: 0, TopP: 0.9);
        var picks = Enumerable.Range(0, 50).Select(_ => GemmaSampler.Next(logits, [], options, generator)).ToHashSet();
        Assert.Subset(new HashSet<long> { 1, 3 }, picks);
        Assert.Equal(1, GemmaSampler.Next(logits, [], options with { TopP = 0.1 }, generator));
    }

    [Fact]
    public void Banned_tokens_are_never_chosen_greedily()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(0);
        var logits = Tensor.From(new float[] { 0, 5, 1, 4.9f }, 4);
        var options = new EnhanceOptions(Sample: false, NoRepeatNgramSize: 2);
        Assert.Equal(3, GemmaSampler.Next(logits, [2, 1, 0, 2], options, generator)); // (2, 1) was seen: 1 is banned after 2
    }
}
