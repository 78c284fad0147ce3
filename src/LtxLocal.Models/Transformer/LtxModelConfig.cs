using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// The transformer's sizes and switches, read from the checkpoint's <c>config.transformer</c> exactly as the
/// reference's configurators do (model_configurator.py): the fixed expectations are checked and every other key
/// is read with the reference's default. <see cref="CaptionChannels"/> is set only when the caption projection lives
/// in the transformer (LTX-2 19B: no <c>caption_proj_before_connector</c>).
/// </summary>
public sealed record LtxModelConfig
{
    public LtxModelType ModelType { get; init; } = LtxModelType.AudioVideo;
    public int NumAttentionHeads { get; init; } = 32;
    public int AttentionHeadDim { get; init; } = 128;
    public int InChannels { get; init; } = 128;
    public int OutChannels { get; init; } = 128;
    public int NumLayers { get; init; } = 48;
    public int CrossAttentionDim { get; init; } = 4096;
    public double NormEps { get; init; } = 1e-6;
    public double PositionalEmbeddingTheta { get; init; } = 10000.0;
    public long[] PositionalEmbeddingMaxPos { get; init; } = { 20, 2048, 2048 };
    public double TimestepScaleMultiplier { get; init; } = 1000;
    public int AudioNumAttentionHeads { get; init; } = 32;
    public int AudioAttentionHeadDim { get; init; } = 64;
    public int AudioInChannels { get; init; } = 128;
    public int AudioOutChannels { get; init; } = 128;
    public int AudioCrossAttentionDim { get; init; } = 2048;
    public long[] AudioPositionalEmbeddingMaxPos { get; init; } = { 20 };
    public double AvCaTimestepScaleMultiplier { get; init; } = 1;
    public RopeType RopeType { get; init; } = RopeType.Split;
    /// <summary>frequencies_precision == "float64": the RoPE frequency grid is built in double, then rounded.</summary>
    public bool DoublePrecisionRope { get; init; }
    public bool ApplyGatedAttention { get; init; }
    public bool CrossAttentionAdaLn { get; init; }
    public bool UsePromptAdaLnSingle { get; init; } = true;
    public bool FfBias { get; init; } = true;
    public bool AudioFfBias { get; init; } = true;
    public bool UseKeyframesAbsPosEmbedding { get; init; }
    /// <summary>Text feature width fed to the in-model caption projections (19B); null when there are none.</summary>
    public int? CaptionChannels { get; init; }

    public int InnerDim => NumAttentionHeads * AttentionHeadDim;

    public int AudioInnerDim => AudioNumAttentionHeads * AudioAttentionHeadDim;

    /// <summary>Rows of the per-block AdaLN tables: 6, or 9 with cross-attention AdaLN.</summary>
    public int AdaLnCoefficient => CrossAttentionAdaLn ? 9 : 6;

    /// <summary>Prompt AdaLN networks exist (the audio-only configurator ignores use_prompt_adaln_single).</summary>
    public bool HasPromptAdaLn => CrossAttentionAdaLn && UsePromptAdaLnSingle;

    /// <summary>Reads the <c>transformer</c> section of a checkpoint's metadata.</summary>
    public static LtxModelConfig FromMetadata(IReadOnlyDictionary<string, string> metadata, string source,
        LtxModelType modelType = LtxModelType.AudioVideo) =>
        Read(ConfigReader.FromMetadata(metadata, "transformer", source), modelType);

    public static LtxModelConfig Read(ConfigReader c, LtxModelType modelType = LtxModelType.AudioVideo)
    {
        CheckFixedValues(c, modelType);
        int? captionChannels = c.Bool("caption_proj_before_connector", false) ? null : c.Int("caption_channels");
        bool video = modelType.HasVideo();
        bool audioOnly = modelType == LtxModelType.AudioOnly;
        var defaults = new LtxModelConfig();
        return new LtxModelConfig
        {
            ModelType = modelType,
            NumAttentionHeads = video ? c.Int("num_attention_heads", 32) : defaults.NumAttentionHeads,
            AttentionHeadDim = video ? c.Int("attention_head_dim", 128) : defaults.AttentionHeadDim,
            InChannels = video ? c.Int("in_channels", 128) : defaults.InChannels,
            OutChannels = video ? c.Int("out_channels", 128) : defaults.OutChannels,
            NumLayers = c.Int("num_layers", 48),
            CrossAttentionDim = video ? c.Int("cross_attention_dim", 4096) : defaults.CrossAttentionDim,
            NormEps = c.Double("norm_eps", 1e-6),
            // The audio-only configurator does not pass theta: the reference uses its 10000 default.
            PositionalEmbeddingTheta = audioOnly ? 10000.0 : c.Double("positional_embedding_theta", 10000.0),
            PositionalEmbeddingMaxPos = video ? c.LongArray("positional_embedding_max_pos", new long[] { 20, 2048, 2048 }) : defaults.PositionalEmbeddingMaxPos,
            TimestepScaleMultiplier = c.Double("timestep_scale_multiplier", 1000),
            AudioNumAttentionHeads = c.Int("audio_num_attention_heads", 32),
            AudioAttentionHeadDim = c.Int("audio_attention_head_dim", 64),
            AudioInChannels = c.Int("audio_in_channels", 128),
            AudioOutChannels = c.Int("audio_out_channels", 128),
            AudioCrossAttentionDim = c.Int("audio_cross_attention_dim", 2048),
            AudioPositionalEmbeddingMaxPos = c.LongArray("audio_positional_embedding_max_pos", new long[] { 20 }),
            AvCaTimestepScaleMultiplier = modelType == LtxModelType.AudioVideo ? c.Double("av_ca_timestep_scale_multiplier", 1) : 1,
            RopeType = c.Choice("rope_type", "split", "split", "interleaved") == "split" ? RopeType.Split : RopeType.Interleaved,
            DoublePrecisionRope = ReadFrequencyPrecision(c),
            ApplyGatedAttention = c.Bool("apply_gated_attention", false),
            CrossAttentionAdaLn = c.Bool("cross_attention_adaln", false),
            UsePromptAdaLnSingle = audioOnly || c.Bool("use_prompt_adaln_single", true),
            FfBias = !video || c.Bool("ff_bias", true),
            AudioFfBias = audioOnly || modelType == LtxModelType.VideoOnly || c.Bool("audio_ff_bias", true),
            UseKeyframesAbsPosEmbedding = video && c.Bool("use_keyframes_abs_pos_embedding", false),
            CaptionChannels = captionChannels,
        };
    }

    // The reference compares frequencies_precision with "float64"; anything else means the float32 grid.
    private static bool ReadFrequencyPrecision(ConfigReader c) =>
        c.Has("frequencies_precision") && c.Choice("frequencies_precision", null, "float64", "float32") == "float64";

    /// <summary>The values the reference asserts (check_config_value): each key must be present with exactly this value.</summary>
    private static void CheckFixedValues(ConfigReader c, LtxModelType modelType)
    {
        RequireNumber(c, "dropout", 0.0);
        RequireBool(c, "attention_bias", true);
        if (c.Has("num_vector_embeds")) throw new ModelConfigException($"transformer config key 'num_vector_embeds': value {c.Raw("num_vector_embeds")} is not supported (must be null)");
        c.Choice("activation_fn", null, "gelu-approximate");
        RequireNumber(c, "num_embeds_ada_norm", 1000);
        RequireBool(c, "use_linear_projection", false);
        RequireBool(c, "only_cross_attention", false);
        RequireBool(c, "cross_attention_norm", true);
        RequireBool(c, "double_self_attention", false);
        RequireBool(c, "upcast_attention", false);
        c.Choice("standardization_norm", null, "rms_norm");
        RequireBool(c, "norm_elementwise_affine", false);
        c.Choice("qk_norm", null, "rms_norm");
        c.Choice("positional_embedding_type", null, "rope");
        RequireBool(c, "use_middle_indices_grid", true);
        if (modelType != LtxModelType.AudioVideo) return;
        RequireBool(c, "use_audio_video_cross_attention", true);
        RequireBool(c, "share_ff", false);
        RequireBool(c, "av_cross_ada_norm", true);
        if (c.Int("num_attention_heads") != c.Int("audio_num_attention_heads"))
            throw new ModelConfigException($"transformer config key 'num_attention_heads': {c.Int("num_attention_heads")} differs from " +
                $"audio_num_attention_heads {c.Int("audio_num_attention_heads")} (the audio-video model needs them equal)");
    }

    private static void RequireBool(ConfigReader c, string key, bool expected)
    {
        if (c.Bool(key) != expected) throw new ModelConfigException($"transformer config key '{key}': value {!expected} is not supported (must be {expected})");
    }

    private static void RequireNumber(ConfigReader c, string key, double expected)
    {
        if (c.Double(key) != expected) throw new ModelConfigException($"transformer config key '{key}': value {c.Double(key)} is not supported (must be {expected})");
    }

    /// <summary>The config as the JSON the releases embed (for writing test and bench checkpoints).</summary>
    public string ToMetadataJson()
    {
        var t = new Dictionary<string, object?>
        {
            ["dropout"] = 0.0, ["attention_bias"] = true, ["num_vector_embeds"] = null, ["activation_fn"] = "gelu-approximate",
            ["num_embeds_ada_norm"] = 1000, ["use_linear_projection"] = false, ["only_cross_attention"] = false,
            ["cross_attention_norm"] = true, ["double_self_attention"] = false, ["upcast_attention"] = false,
            ["standardization_norm"] = "rms_norm", ["norm_elementwise_affine"] = false, ["qk_norm"] = "rms_norm",
            ["positional_embedding_type"] = "rope", ["use_audio_video_cross_attention"] = true, ["share_ff"] = false,
            ["av_cross_ada_norm"] = true, ["use_middle_indices_grid"] = true,
            ["num_attention_heads"] = NumAttentionHeads, ["attention_head_dim"] = AttentionHeadDim,
            ["in_channels"] = InChannels, ["out_channels"] = OutChannels, ["num_layers"] = NumLayers,
            ["cross_attention_dim"] = CrossAttentionDim, ["norm_eps"] = NormEps,
            ["positional_embedding_theta"] = PositionalEmbeddingTheta, ["positional_embedding_max_pos"] = PositionalEmbeddingMaxPos,
            ["timestep_scale_multiplier"] = TimestepScaleMultiplier, ["audio_num_attention_heads"] = AudioNumAttentionHeads,
            ["audio_attention_head_dim"] = AudioAttentionHeadDim, ["audio_in_channels"] = AudioInChannels,
            ["audio_out_channels"] = AudioOutChannels, ["audio_cross_attention_dim"] = AudioCrossAttentionDim,
            ["audio_positional_embedding_max_pos"] = AudioPositionalEmbeddingMaxPos,
            ["av_ca_timestep_scale_multiplier"] = AvCaTimestepScaleMultiplier,
            ["rope_type"] = RopeType == RopeType.Split ? "split" : "interleaved",
            ["frequencies_precision"] = DoublePrecisionRope ? "float64" : "float32",
            ["apply_gated_attention"] = ApplyGatedAttention, ["cross_attention_adaln"] = CrossAttentionAdaLn,
            ["use_prompt_adaln_single"] = UsePromptAdaLnSingle, ["ff_bias"] = FfBias, ["audio_ff_bias"] = AudioFfBias,
            ["use_keyframes_abs_pos_embedding"] = UseKeyframesAbsPosEmbedding,
        };
        if (CaptionChannels is int channels) t["caption_channels"] = channels;
        else t["caption_proj_before_connector"] = true;
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["transformer"] = t });
    }
}
