using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 3 text tower's configuration, read from a Hugging Face <c>config.json</c> (multimodal form with a
/// nested <c>text_config</c>, or a bare <c>gemma3_text</c> one). Keys the release leaves out take transformers'
/// <c>Gemma3TextConfig</c> defaults, because that is what the reference runs with; unsupported values throw.
/// </summary>
public sealed record Gemma3Config(
    string ModelType,
    int VocabSize,
    int HiddenSize,
    int IntermediateSize,
    int NumLayers,
    int NumHeads,
    int NumKeyValueHeads,
    int HeadDim,
    double QueryPreAttnScalar,
    double RmsNormEps,
    int SlidingWindow,
    IReadOnlyList<bool> SlidingLayers,
    GemmaRope FullRope,
    GemmaRope SlidingRope,
    int BosTokenId,
    int PadTokenId,
    IReadOnlyList<int> EosTokenIds)
{
    public static Gemma3Config FromJson(JsonElement root)
    {
        var top = new ConfigReader(root, "gemma");
        var modelType = top.String("model_type", "gemma3");
        if (modelType != "gemma3" && modelType != "gemma3_text")
            throw new ModelConfigException($"gemma.model_type = \"{modelType}\": a Gemma 3 config needs gemma3 or gemma3_text");
        var text = top.Has("text_config") ? top.Section("text_config") : top;
        text.Choice("hidden_activation", "gelu_pytorch_tanh", "gelu_pytorch_tanh");
        if (text.Has("attn_logit_softcapping"))
            throw new ModelConfigException($"{text.Component}.attn_logit_softcapping is set; Gemma 3 attention has no softcapping here");
        if (text.Bool("attention_bias", false))
            throw new ModelConfigException($"{text.Component}.attention_bias = true is not supported (Gemma 3 has no biases)");

        int layers = text.Int("num_hidden_layers", 26);
        var (full, sliding) = ReadRope(text);
        return new Gemma3Config(
            modelType,
            text.Int("vocab_size", 262208),
            text.Int("hidden_size", 2304),
            text.Int("intermediate_size", 9216),
            layers,
            text.Int("num_attention_heads", 8),
            text.Int("num_key_value_heads", 4),
            text.Int("head_dim", 256),
            text.Double("query_pre_attn_scalar", 256),
            text.Double("rms_norm_eps", 1e-6),
            text.Int("sliding_window", 4096),
            ReadLayerKinds(text, layers),
            full, sliding,
            text.Int("bos_token_id", 2),
            text.Int("pad_token_id", 0),
            ReadEos(top, text));
    }

    public static Gemma3Config FromFile(string configJsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(configJsonPath));
        return FromJson(doc.RootElement);
    }

    /// <summary><c>layer_types</c> when given, else sliding unless (i+1) is a multiple of the pattern (default 6).</summary>
    internal static bool[] ReadLayerKinds(ConfigReader text, int layers)
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
        int pattern = text.Int("sliding_window_pattern", 6);
        if (pattern <= 0) throw new ModelConfigException($"{text.Component}.sliding_window_pattern = {pattern} must be positive");
        return Enumerable.Range(0, layers).Select(i => (i + 1) % pattern != 0).ToArray();
    }

    /// <summary>Full layers: rope_theta + rope_scaling; sliding layers: rope_local_base_freq, unscaled (or transformers 5's rope_parameters).</summary>
    private static (GemmaRope Full, GemmaRope Sliding) ReadRope(ConfigReader text)
    {
        if (text.Has("rope_parameters"))
        {
            var p = text.Section("rope_parameters");
            return (ReadRopeParameters(p.Section("full_attention")), ReadRopeParameters(p.Section("sliding_attention")));
        }
        double factor = 1;
        if (text.Has("rope_scaling"))
        {
            var scaling = text.Section("rope_scaling");
            var type = scaling.Choice(scaling.Has("rope_type") ? "rope_type" : "type", null, "linear", "default");
            factor = type == "linear" ? scaling.Double("factor") : 1;
        }
        return (new GemmaRope(text.Double("rope_theta", 1e6), factor), new GemmaRope(text.Double("rope_local_base_freq", 1e4), 1));
    }

    private static GemmaRope ReadRopeParameters(ConfigReader p)
    {
        var type = p.Choice("rope_type", "default", "default", "linear");
        return new GemmaRope(p.Double("rope_theta"), type == "linear" ? p.Double("factor") : 1);
    }

    /// <summary>eos_token_id (one id or a list) from the top config or the text config, else <paramref name="fallback"/>.</summary>
    internal static int[] ReadEos(ConfigReader top, ConfigReader text, int[]? fallback = null)
    {
        var source = top.Has("eos_token_id") ? top : text;
        if (!source.Has("eos_token_id")) return fallback ?? [1, 106];
        var raw = source.Raw("eos_token_id");
        return raw.ValueKind == JsonValueKind.Array ? raw.EnumerateArray().Select(e => e.GetInt32()).ToArray() : [raw.GetInt32()];
    }

    public GemmaRope RopeOf(int layer) => SlidingLayers[layer] ? SlidingRope : FullRope;
}
