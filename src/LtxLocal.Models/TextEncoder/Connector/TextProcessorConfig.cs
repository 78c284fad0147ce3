using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// The text path after Gemma, from the transformer's config (<c>__metadata__["config"]["transformer"]</c>) plus the two
/// Gemma sizes it needs (hidden size, layer count): which feature extractor (V1 for LTX-2, V2 when
/// <c>caption_proj_before_connector</c>) and the video/audio connectors. Follows the reference's configurators.
/// </summary>
public sealed record TextProcessorConfig(
    bool UsesV2Extractor, int GemmaHidden, int GemmaStates, int VideoDim, int AudioDim, bool HasAudio,
    ConnectorConfig Video, ConnectorConfig Audio)
{
    /// <param name="transformer">the transformer section of the checkpoint config</param>
    /// <param name="gemmaHidden">text_config.hidden_size of the text encoder</param>
    /// <param name="gemmaLayers">text_config.num_hidden_layers of the text encoder (states = layers + 1)</param>
    /// <param name="hasAudio">whether the checkpoint has an audio connector</param>
    public static TextProcessorConfig From(ConfigReader transformer, int gemmaHidden, int gemmaLayers, bool hasAudio)
    {
        if (!transformer.Bool("use_embeddings_connector", true))
            throw new ModelConfigException($"{transformer.Component}.use_embeddings_connector = false is not supported");
        bool v2 = transformer.Bool("caption_proj_before_connector", false);
        if (v2)
        {
            // The reference accepts exactly this combination for the V2 extractor.
            foreach (var key in new[] { "caption_projection_first_linear", "caption_proj_input_norm", "caption_projection_second_linear" })
                if (transformer.Bool(key, false))
                    throw new ModelConfigException($"{transformer.Component}.{key} = true is not supported with caption_proj_before_connector");
            transformer.Choice("text_encoder_norm_type", "per_token_rms", "per_token_rms");
        }
        var rope = transformer.Choice("rope_type", "split", "split", "interleaved") == "split" ? RopeType.Split : RopeType.Interleaved;
        bool double64 = transformer.Has("frequencies_precision") && transformer.String("frequencies_precision") == "float64";
        var maxPos = transformer.LongArray("connector_positional_embedding_max_pos", [1]);
        double theta = transformer.Double("connector_positional_embedding_theta", 10000.0);
        bool gated = transformer.Bool("connector_apply_gated_attention", false);
        bool ffBias = transformer.Bool("connector_ff_bias", true);
        int registers = transformer.Int("connector_num_learnable_registers", 128);

        int vHeads = transformer.Int("connector_num_attention_heads", 30);
        int vHeadDim = transformer.Int("connector_attention_head_dim", 128);
        int vLayers = transformer.Int("connector_num_layers", 2);
        var video = new ConnectorConfig(vHeads, vHeadDim, vLayers, registers, theta, maxPos, rope, double64, gated, ffBias);
        var audio = new ConnectorConfig(
            transformer.Int("audio_connector_num_attention_heads", vHeads),
            transformer.Int("audio_connector_attention_head_dim", vHeadDim),
            transformer.Int("audio_connector_num_layers", vLayers),
            registers, theta, maxPos, rope, double64, gated, ffBias);

        // V1 projects to the Gemma width (caption_channels); V2 to the transformer's video/audio widths.
        int videoDim = v2 ? transformer.Int("num_attention_heads") * transformer.Int("attention_head_dim") : gemmaHidden;
        int audioDim = v2 ? transformer.Int("audio_num_attention_heads") * transformer.Int("audio_attention_head_dim") : gemmaHidden;
        return new TextProcessorConfig(v2, gemmaHidden, gemmaLayers + 1, videoDim, audioDim, hasAudio, video, audio);
    }

    /// <summary>The two Gemma fields from a Hugging Face Gemma config (nested text_config or flat).</summary>
    public static (int Hidden, int Layers) GemmaSizes(JsonElement gemmaConfig)
    {
        var top = new ConfigReader(gemmaConfig, "gemma");
        var text = top.Has("text_config") ? top.Section("text_config") : top;
        return (text.Int("hidden_size"), text.Int("num_hidden_layers"));
    }
}
