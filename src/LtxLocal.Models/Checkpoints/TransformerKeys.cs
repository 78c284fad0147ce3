using LtxLocal.Models.Transformer;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// Which checkpoint keys belong to the transformer (model_configurator.py key maps): everything under
/// <c>model.diffusion_model.</c> except the text connectors that live under the same prefix, and for single-stream
/// models only that stream's keys.
/// </summary>
public static class TransformerKeys
{
    public const string Prefix = "model.diffusion_model.";

    /// <summary>Text-encoder modules stored under the transformer prefix (they belong to the embeddings processor).</summary>
    public static readonly string[] ConnectorPrefixes = { "video_embeddings_connector.", "audio_embeddings_connector." };

    // The audio-only key map keeps only keys containing one of these (LTXV_AUDIO_ONLY_MODEL_COMFY_RENAMING_MAP).
    private static readonly string[] AudioOnlyMarkers =
    {
        "audio_attn1", "audio_attn2", "audio_ff", "audio_patchify", "audio_proj_out", "audio_adaln_single", "audio_prompt", "audio_scale_shift_table",
    };

    public static bool IsConnector(string name) => ConnectorPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Whether a key (prefix stripped) is loaded into a model of <paramref name="type"/>.</summary>
    public static bool Belongs(string name, LtxModelType type)
    {
        if (IsConnector(name)) return false;
        return type switch
        {
            LtxModelType.AudioOnly => AudioOnlyMarkers.Any(name.Contains),
            LtxModelType.VideoOnly => !IsAudioOrCrossModal(name),
            _ => true,
        };
    }

    // Keys only an audio+video model has: audio_* modules, the A/V attentions, their tables and AdaLNs.
    private static bool IsAudioOrCrossModal(string name) =>
        name.Split('.').Any(s => s.StartsWith("audio_", StringComparison.Ordinal) || s.StartsWith("av_ca_", StringComparison.Ordinal)
            || s == "video_to_audio_attn" || s.StartsWith("scale_shift_table_a2v_ca", StringComparison.Ordinal));
}
