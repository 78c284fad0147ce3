using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Tiny;

/// <summary>
/// The tiny model's configs, in the schema the released files embed (the keys the reference configurators read): an
/// LTX-2.3-style transformer (2 blocks, width 16, gated attention, cross-attention AdaLN, caption projection before the
/// connector), a video VAE with the real 32x spatial / 8x temporal compression at 4-8 channels, a causal audio VAE with
/// 64 mel bins, a HiFi-GAN vocoder at 24 kHz and an x2 latent upsampler.
/// </summary>
internal static class TinyConfigs
{
    public const int LatentChannels = 8;

    public static JsonObject Bundle() => new()
    {
        ["transformer"] = new JsonObject
        {
            ["_class_name"] = "AVTransformer3DModel", ["activation_fn"] = "gelu-approximate", ["attention_bias"] = true,
            ["attention_head_dim"] = 8, ["num_attention_heads"] = 2, ["attention_type"] = "default", ["caption_channels"] = 32,
            ["cross_attention_dim"] = 16, ["cross_attention_norm"] = true, ["double_self_attention"] = false, ["dropout"] = 0.0,
            ["in_channels"] = LatentChannels, ["out_channels"] = LatentChannels, ["norm_elementwise_affine"] = false, ["norm_eps"] = 1e-6,
            ["norm_num_groups"] = 32, ["num_embeds_ada_norm"] = 1000, ["num_layers"] = 2, ["num_vector_embeds"] = null,
            ["only_cross_attention"] = false, ["upcast_attention"] = false, ["use_linear_projection"] = false, ["qk_norm"] = "rms_norm",
            ["standardization_norm"] = "rms_norm", ["positional_embedding_type"] = "rope", ["positional_embedding_theta"] = 10000.0,
            ["positional_embedding_max_pos"] = new JsonArray(20, 2048, 2048), ["timestep_scale_multiplier"] = 1000,
            ["av_ca_timestep_scale_multiplier"] = 1000.0, ["causal_temporal_positioning"] = true,
            ["audio_num_attention_heads"] = 2, ["audio_attention_head_dim"] = 8, ["audio_in_channels"] = 32, ["audio_out_channels"] = 32,
            ["audio_cross_attention_dim"] = 16, ["audio_positional_embedding_max_pos"] = new JsonArray(20),
            ["use_audio_video_cross_attention"] = true, ["share_ff"] = false, ["av_cross_ada_norm"] = true, ["use_middle_indices_grid"] = true,
            ["rope_type"] = "split", ["frequencies_precision"] = "float64", ["apply_gated_attention"] = true, ["cross_attention_adaln"] = true,
            ["caption_proj_before_connector"] = true, ["caption_projection_first_linear"] = false, ["caption_proj_input_norm"] = false,
            ["caption_projection_second_linear"] = false, ["text_encoder_norm_type"] = "per_token_rms",
            ["use_embeddings_connector"] = true, ["connector_positional_embedding_max_pos"] = new JsonArray(4096),
            ["connector_num_attention_heads"] = 2, ["connector_attention_head_dim"] = 8, ["audio_connector_num_attention_heads"] = 2,
            ["audio_connector_attention_head_dim"] = 8, ["connector_num_layers"] = 1, ["connector_num_learnable_registers"] = 128,
            ["connector_apply_gated_attention"] = true,
        },
        ["vae"] = new JsonObject
        {
            ["_class_name"] = "CausalVideoAutoencoder", ["dims"] = 3, ["in_channels"] = 3, ["out_channels"] = 3, ["latent_channels"] = LatentChannels,
            ["encoder_blocks"] = Blocks(("res_x", "num_layers", 1), ("compress_space_res", "multiplier", 2), ("compress_time_res", "multiplier", 2),
                ("compress_all_res", "multiplier", 2), ("compress_all_res", "multiplier", 1), ("res_x", "num_layers", 1)),
            ["decoder_blocks"] = Blocks(("res_x", "num_layers", 1), ("compress_space", "multiplier", 2), ("compress_time", "multiplier", 2),
                ("compress_all", "multiplier", 1), ("compress_all", "multiplier", 2), ("res_x", "num_layers", 1)),
            ["scaling_factor"] = 1.0, ["norm_layer"] = "pixel_norm", ["patch_size"] = 4, ["latent_log_var"] = "uniform",
            ["use_quant_conv"] = false, ["causal_decoder"] = false, ["timestep_conditioning"] = false, ["normalize_latent_channels"] = false,
            ["encoder_base_channels"] = 4, ["decoder_base_channels"] = 4, ["spatial_padding_mode"] = "zeros",
        },
        ["audio_vae"] = new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["params"] = new JsonObject
                {
                    ["ddconfig"] = new JsonObject
                    {
                        ["double_z"] = true, ["mel_bins"] = 64, ["z_channels"] = 2, ["resolution"] = 256, ["downsample_time"] = false,
                        ["in_channels"] = 2, ["out_ch"] = 2, ["ch"] = 32, ["ch_mult"] = new JsonArray(1, 1, 2), ["num_res_blocks"] = 1,
                        ["attn_resolutions"] = new JsonArray(), ["dropout"] = 0.0, ["mid_block_add_attention"] = false,
                        ["norm_type"] = "pixel", ["causality_axis"] = "height",
                    },
                    ["sampling_rate"] = 16000,
                },
            },
            ["preprocessing"] = new JsonObject
            {
                ["stft"] = new JsonObject { ["filter_length"] = 1024, ["hop_length"] = 160, ["win_length"] = 1024, ["causal"] = true },
                ["mel"] = new JsonObject { ["n_mel_channels"] = 64, ["mel_fmin"] = 0, ["mel_fmax"] = 8000 },
            },
        },
        ["vocoder"] = new JsonObject
        {
            ["resblock_kernel_sizes"] = new JsonArray(3), ["upsample_rates"] = new JsonArray(6, 5, 2, 2, 2),
            ["upsample_kernel_sizes"] = new JsonArray(16, 15, 8, 4, 4), ["resblock_dilation_sizes"] = new JsonArray(new JsonArray(1, 3)),
            ["upsample_initial_channel"] = 32, ["resblock"] = "1", ["stereo"] = true, ["output_sampling_rate"] = 24000,
        },
    };

    public static JsonObject Upsampler() => new()
    {
        ["_class_name"] = "LatentUpsampler", ["in_channels"] = LatentChannels, ["mid_channels"] = 32, ["num_blocks_per_stage"] = 1, ["dims"] = 3,
        ["spatial_upsample"] = true, ["temporal_upsample"] = false, ["spatial_scale"] = 2.0, ["rational_resampler"] = false,
    };

    public static JsonObject Manifest() => new()
    {
        ["id"] = TinyModel.Id,
        ["kind"] = ModelDescriptor.TinyKind,
        ["aliases"] = new JsonArray("tiny"),
        ["default"] = false, // a real model copied in beside it becomes the default
        ["device"] = "cpu",
        ["description"] = "tiny LTX-2.3-format model with random weights (output is noise); for trying the whole path without a GPU",
    };

    private static JsonArray Blocks(params (string Name, string Key, int Value)[] blocks) =>
        new(blocks.Select(b => (JsonNode)new JsonArray(b.Name, new JsonObject { [b.Key] = b.Value })).ToArray());
}
