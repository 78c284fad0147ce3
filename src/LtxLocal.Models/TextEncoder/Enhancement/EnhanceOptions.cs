namespace LtxLocal.Models.TextEncoder.Enhancement;

/// <summary>
/// How the enhancer decodes, with transformers' generate semantics: greedy, or sampled after temperature, top-k and
/// top-p warping; <see cref="NoRepeatNgramSize"/> bans any token that would repeat an n-gram already generated or
/// prompted. Defaults are the reference's Gemma 3 enhance settings (do_sample, temperature 0.7, 512 new tokens) plus
/// transformers' generation defaults it inherits (top_k 50, top_p 1), since it builds the model from its config
/// and never applies generation_config.json.
/// </summary>
public sealed record EnhanceOptions(bool Sample = true, double Temperature = 0.7, int MaxNewTokens = 512, ulong Seed = 10,
    int TopK = 50, double TopP = 1.0, int NoRepeatNgramSize = 0)
{
    /// <summary>The reference's Gemma 4 instruct enhance settings: greedy, no repeated 5-grams, 600 new tokens.</summary>
    public static EnhanceOptions Gemma4Greedy { get; } = new(Sample: false, MaxNewTokens: 600, NoRepeatNgramSize: 5);
}
