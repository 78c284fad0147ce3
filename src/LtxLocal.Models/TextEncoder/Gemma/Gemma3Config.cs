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
    GemmaTowerShape Tower,
    int NumHeads,
    int NumKeyValueHeads,
    double QueryPreAttnScalar,
    int BosTokenId)
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

        var n = GemmaConfigReading.ReadSizes(text, new(Vocab: 262208, Layers: 26, SlidingWindow: 4096));
        var (full, sliding) = ReadRope(text);
        int headDim = text.Int("head_dim", 256);
        // (1 + w) norms, one head size for both layer kinds, no layer scalars, no placeholder ids, no logit cap.
        var tower = new GemmaTowerShape(n.Vocab, n.Hidden, n.Intermediate, n.RmsNormEps, GemmaNormGain.OnePlusWeight, LayerScalar: false,
            n.SlidingWindow, GemmaConfigReading.ReadLayerKinds(text, n.Layers, text.Int("sliding_window_pattern", 6)),
            (full, headDim), (sliding, headDim), n.Pad, [], GemmaConfigReading.ReadEos(top, text, fallback: [1, 106]), FinalLogitSoftcapping: null);
        return new Gemma3Config(modelType, tower, n.Heads, text.Int("num_key_value_heads", 4), text.Double("query_pre_attn_scalar", 256), n.Bos);
    }

    public static Gemma3Config FromFile(string configJsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(configJsonPath));
        return FromJson(doc.RootElement);
    }

    /// <summary>Full layers: rope_theta + rope_scaling; sliding layers: rope_local_base_freq, unscaled (or transformers 5's rope_parameters).</summary>
    private static (GemmaRope Full, GemmaRope Sliding) ReadRope(ConfigReader text)
    {
        if (text.Has("rope_parameters")) return GemmaConfigReading.ReadRopeParameters(text, "default", "linear");
        double factor = 1;
        if (text.Has("rope_scaling"))
        {
            var scaling = text.Section("rope_scaling");
            var type = scaling.Choice(scaling.Has("rope_type") ? "rope_type" : "type", null, "linear", "default");
            factor = type == "linear" ? scaling.Double("factor") : 1;
        }
        return (new GemmaRope(text.Double("rope_theta", 1e6), factor), new GemmaRope(text.Double("rope_local_base_freq", 1e4), 1));
    }

    /// <summary>Both layer kinds rotate heads of this size.</summary>
    public int HeadDim => Tower.Full.HeadDim;
}
