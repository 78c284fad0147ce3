using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 4 text tower's configuration as the LTX-2.5 encoder uses it (transformers
/// <c>Gemma4UnifiedTextConfig</c>, nested under <c>text_config</c> of a <c>gemma4_unified</c> config, or bare).
/// Keys the release leaves out take transformers' defaults, because that is what the reference runs with; what this
/// port does not implement (KV sharing across layers, fully bidirectional attention, other activations or RoPE types,
/// the dense <c>gemma4</c> family with per-layer inputs) throws.
/// </summary>
public sealed record Gemma4Config(
    string ModelType,
    GemmaTowerShape Tower,
    int NumHeads,
    GemmaLayerShape SlidingShape,
    GemmaLayerShape FullShape,
    bool AttentionKEqV,
    int BosTokenId,
    string? GemmaVersion)
{
    public static readonly string[] ModelTypes = ["gemma4_unified", "gemma4_unified_text"];

    public static Gemma4Config FromJson(JsonElement root)
    {
        var top = new ConfigReader(root, "gemma");
        var modelType = top.String("model_type");
        if (modelType == "gemma4")
            throw new ModelConfigException("gemma.model_type = \"gemma4\": the dense Gemma 4 family (per-layer inputs; the reference's enhance-only model) is not supported; the LTX-2.5 encoder is gemma4_unified");
        if (!ModelTypes.Contains(modelType))
            throw new ModelConfigException($"gemma.model_type = \"{modelType}\": a Gemma 4 encoder config needs {string.Join(" or ", ModelTypes)}");
        var text = top.Has("text_config") ? top.Section("text_config") : top;
        CheckUnsupported(text);

        var n = GemmaConfigReading.ReadSizes(text, new(Vocab: 262_144, Layers: 30, SlidingWindow: 1024));
        var sliding = ReadLayerKinds(text, n.Layers);
        bool kEqV = text.Bool("attention_k_eq_v", false);
        var slidingShape = new GemmaLayerShape(text.Int("head_dim", 256), text.Int("num_key_value_heads", 4));
        var fullShape = ReadFullShape(text, sliding, slidingShape, kEqV);
        var (fullRope, slidingRope) = text.Has("rope_parameters")
            ? GemmaConfigReading.ReadRopeParameters(text, "default", "proportional")
            : (new GemmaRope(1_000_000, 1, 0.25), new GemmaRope(10_000, 1)); // transformers' defaults: full proportional 0.25 at 1e6, sliding 1e4
        double? softcap = text.Has("final_logit_softcapping") ? text.Double("final_logit_softcapping") : null;
        // Plain-weight norms, a head size per layer kind, layer scalars, placeholder ids embedded as pad.
        var tower = new GemmaTowerShape(n.Vocab, n.Hidden, n.Intermediate, n.RmsNormEps, GemmaNormGain.Weight, LayerScalar: true,
            n.SlidingWindow, sliding, (fullRope, fullShape.HeadDim), (slidingRope, slidingShape.HeadDim), n.Pad,
            top.Has("text_config") ? ReadMultimodalTokens(top) : [], GemmaConfigReading.ReadEos(top, text, fallback: [1]), softcap);
        return new Gemma4Config(modelType, tower, n.Heads, slidingShape, fullShape, kEqV, n.Bos,
            top.Has("gemma_version") ? top.String("gemma_version") : null);
    }

    public GemmaLayerShape ShapeOf(int layer) => Tower.SlidingLayers[layer] ? SlidingShape : FullShape;


    private static void CheckUnsupported(ConfigReader text)
    {
        text.Choice("hidden_activation", "gelu_pytorch_tanh", "gelu_pytorch_tanh");
        if (text.Bool("attention_bias", false))
            throw new ModelConfigException($"{text.Component}.attention_bias = true is not supported (Gemma 4 has no attention biases)");
        // "vision" only changes the mask around image/audio tokens, which a text prompt does not have.
        text.Choice("use_bidirectional_attention", "vision", "vision");
        int shared = text.Int("num_kv_shared_layers", 0);
        if (shared != 0)
            throw new ModelConfigException($"{text.Component}.num_kv_shared_layers = {shared}: layers sharing another layer's keys/values are not supported");
        if (text.Has("hidden_size_per_layer_input") && text.Int("hidden_size_per_layer_input") != 0)
            throw new ModelConfigException($"{text.Component}.hidden_size_per_layer_input is set: per-layer input embeddings are not supported");
        if (text.Bool("enable_moe_block", false))
            throw new ModelConfigException($"{text.Component}.enable_moe_block = true: mixture-of-experts layers are not supported");
    }

    /// <summary>
    /// <c>layer_types</c> when given, else sliding unless (i+1) is a multiple of 6; transformers forces the last layer
    /// to full attention either way.
    /// </summary>
    private static bool[] ReadLayerKinds(ConfigReader text, int layers)
    {
        var sliding = GemmaConfigReading.ReadLayerKinds(text, layers, pattern: 6);
        if (layers > 0) sliding[^1] = false;
        return sliding;
    }

    /// <summary>
    /// Full-attention layers use <c>global_head_dim</c> (default 512) and, with attention_k_eq_v,
    /// <c>num_global_key_value_heads</c>; a serialized <c>per_layer_config</c> (layer index -> overrides) wins.
    /// </summary>
    private static GemmaLayerShape ReadFullShape(ConfigReader text, bool[] sliding, GemmaLayerShape slidingShape, bool kEqV)
    {
        if (!text.Has("per_layer_config"))
        {
            int kvHeads = kEqV && text.Has("num_global_key_value_heads") ? text.Int("num_global_key_value_heads") : slidingShape.NumKeyValueHeads;
            return new GemmaLayerShape(text.Int("global_head_dim", 512), kvHeads);
        }
        var perLayer = text.Section("per_layer_config");
        GemmaLayerShape? full = null;
        for (int i = 0; i < sliding.Length; i++)
        {
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!perLayer.Has(key))
            {
                if (!sliding[i]) throw new ModelConfigException($"{perLayer.Component} has no entry for full-attention layer {i}");
                continue;
            }
            if (sliding[i]) throw new ModelConfigException($"{perLayer.Component}.{key}: overrides on a sliding layer are not supported");
            var entry = perLayer.Section(key);
            foreach (var property in entry.Json.EnumerateObject())
                if (property.Name is not ("head_dim" or "num_key_value_heads"))
                    throw new ModelConfigException($"{entry.Component}.{property.Name}: unsupported per-layer override");
            var shape = new GemmaLayerShape(entry.Int("head_dim", slidingShape.HeadDim), entry.Int("num_key_value_heads", slidingShape.NumKeyValueHeads));
            if (full is not null && full != shape)
                throw new ModelConfigException($"{perLayer.Component}: full-attention layers differ in shape ({full} vs {shape} at layer {i})");
            full = shape;
        }
        return full ?? new GemmaLayerShape(text.Int("global_head_dim", 512), slidingShape.NumKeyValueHeads);
    }

    /// <summary>Image/video/audio placeholder ids: Gemma4UnifiedModel embeds them as the pad token.</summary>
    private static int[] ReadMultimodalTokens(ConfigReader top) =>
    [
        top.Int("image_token_id", 258_880),
        top.Int("video_token_id", 258_884),
        top.Int("audio_token_id", 258_881),
    ];
}
