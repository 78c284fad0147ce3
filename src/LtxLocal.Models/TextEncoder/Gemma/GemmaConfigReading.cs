using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The keys Gemma 3 and Gemma 4 text configs share, read once: sizes (with each generation's transformers defaults),
/// layer kinds, <c>rope_parameters</c> per layer kind and the end-of-sequence ids.
/// </summary>
public static class GemmaConfigReading
{
    /// <summary>The sizes every Gemma text config has.</summary>
    public readonly record struct Sizes(int Vocab, int Hidden, int Intermediate, int Layers, int Heads, double RmsNormEps, int SlidingWindow, int Bos, int Pad);

    /// <summary>transformers' defaults where the two generations differ.</summary>
    public readonly record struct Defaults(int Vocab, int Layers, int SlidingWindow);

    public static Sizes ReadSizes(ConfigReader text, Defaults defaults) => new(
        Vocab: text.Int("vocab_size", defaults.Vocab),
        Hidden: text.Int("hidden_size", 2304),
        Intermediate: text.Int("intermediate_size", 9216),
        Layers: text.Int("num_hidden_layers", defaults.Layers),
        Heads: text.Int("num_attention_heads", 8),
        RmsNormEps: text.Double("rms_norm_eps", 1e-6),
        SlidingWindow: text.Int("sliding_window", defaults.SlidingWindow),
        Bos: text.Int("bos_token_id", 2),
        Pad: text.Int("pad_token_id", 0));

    /// <summary><c>layer_types</c> when given (true = sliding), else sliding unless (i+1) is a multiple of <paramref name="pattern"/>.</summary>
    public static bool[] ReadLayerKinds(ConfigReader text, int layers, int pattern)
    {
        if (text.Has("layer_types"))
        {
            var kinds = text.Raw("layer_types").EnumerateArray().Select(e => e.GetString()).ToArray();
            if (kinds.Length != layers)
                throw new ModelConfigException($"{text.Component}.layer_types has {kinds.Length} entries for {layers} layers");
            return kinds.Select(k => k switch
            {
                "sliding_attention" => true,
                "full_attention" => false,
                _ => throw new ModelConfigException($"{text.Component}.layer_types: unsupported layer type \"{k}\""),
            }).ToArray();
        }
        if (pattern <= 0) throw new ModelConfigException($"{text.Component}.sliding_window_pattern = {pattern} must be positive");
        return Enumerable.Range(0, layers).Select(i => (i + 1) % pattern != 0).ToArray();
    }

    /// <summary>
    /// transformers 5's <c>rope_parameters</c> {full_attention, sliding_attention}: "default" ignores factor and partial
    /// rotation, "linear" scales positions by its factor, "proportional" applies factor and partial rotation.
    /// <paramref name="types"/> are the rope types this generation allows.
    /// </summary>
    public static (GemmaRope Full, GemmaRope Sliding) ReadRopeParameters(ConfigReader text, params string[] types)
    {
        var p = text.Section("rope_parameters");
        return (Rope(p.Section("full_attention"), types), Rope(p.Section("sliding_attention"), types));
    }

    private static GemmaRope Rope(ConfigReader p, string[] types)
    {
        var type = p.Choice("rope_type", "default", types);
        double theta = p.Double("rope_theta");
        return type switch
        {
            "linear" => new GemmaRope(theta, p.Double("factor")),
            "proportional" => new GemmaRope(theta, p.Double("factor", 1.0), p.Double("partial_rotary_factor", 1.0)),
            _ => new GemmaRope(theta, 1),
        };
    }

    /// <summary>eos_token_id (one id or a list) from the top config or the text config, else <paramref name="fallback"/>.</summary>
    public static int[] ReadEos(ConfigReader top, ConfigReader text, int[] fallback)
    {
        var source = top.Has("eos_token_id") ? top : text;
        if (!source.Has("eos_token_id")) return fallback;
        var raw = source.Raw("eos_token_id");
        return raw.ValueKind == JsonValueKind.Array ? raw.EnumerateArray().Select(e => e.GetInt32()).ToArray() : [raw.GetInt32()];
    }
}
