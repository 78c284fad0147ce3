using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The convolutional video VAE's config (<c>__metadata__["config"]["vae"]</c>, flat <c>CausalVideoAutoencoder</c> schema),
/// read the way ltx_core/model/video_vae/model_configurator.py reads it, including its defaults.
/// </summary>
public sealed record VideoVaeConfig(
    int InChannels,
    int OutChannels,
    int LatentChannels,
    VaeBlockSpec[] EncoderBlocks,
    VaeBlockSpec[] DecoderBlocks,
    int PatchSize,
    string LatentLogVar,
    bool CausalDecoder,
    bool TimestepConditioning,
    ConvPaddingMode EncoderPadding,
    ConvPaddingMode DecoderPadding,
    int DecoderBaseChannels)
{
    public const string ConvClassName = "CausalVideoAutoencoder";

    public static VideoVaeConfig From(ConfigReader vae)
    {
        var className = vae.String("_class_name", ConvClassName);
        if (className == Diffusion.DiffusionDecoderConfig.ClassName) return EncoderOfDiffusionVae(vae);
        if (className != ConvClassName)
            throw new ModelConfigException($"vae config '_class_name': '{className}' is not supported (supported: {ConvClassName}, " +
                $"{Diffusion.DiffusionDecoderConfig.ClassName})");
        if (vae.Int("dims", 3) != 3) throw new ModelConfigException("vae config key 'dims': only 3-D convolutions are supported");
        vae.Choice("norm_layer", "pixel_norm", "pixel_norm");
        return new VideoVaeConfig(
            InChannels: vae.Int("in_channels", 3),
            OutChannels: vae.Int("out_channels", 3),
            LatentChannels: vae.Int("latent_channels", 128),
            EncoderBlocks: VaeBlockSpec.ListFrom(vae, "encoder_blocks"),
            DecoderBlocks: VaeBlockSpec.ListFrom(vae, "decoder_blocks"),
            PatchSize: vae.Int("patch_size", 4),
            LatentLogVar: vae.Choice("latent_log_var", "uniform", "uniform", "per_channel", "constant", "none"),
            CausalDecoder: vae.Bool("causal_decoder", false),
            TimestepConditioning: vae.Bool("timestep_conditioning", true),
            EncoderPadding: Padding(vae.Choice("spatial_padding_mode", vae.Choice("encoder_spatial_padding_mode", "zeros", "zeros", "reflect"),
                "zeros", "reflect")),
            DecoderPadding: Padding(vae.Choice("spatial_padding_mode", "reflect", "zeros", "reflect")),
            DecoderBaseChannels: vae.Int("decoder_base_channels", 128));
    }

    /// <summary>
    /// The encoder half of an LTX-2.5 diffusion VAE file (its fields in the nested <c>encoder</c> dict, <c>blocks</c> and
    /// <c>out_channels</c> = latent width, as model_configurator.py's _prepare_video_encoder_kwargs reads them). It has no conv
    /// decoder: <see cref="IsDiffusionVae"/> is set and the decoder is <see cref="Diffusion.DiffusionVideoDecoder"/>.
    /// </summary>
    private static VideoVaeConfig EncoderOfDiffusionVae(ConfigReader vae)
    {
        var e = vae.Has("encoder") ? vae.Section("encoder") : vae;
        if (e.Int("dims", vae.Int("dims", 3)) != 3) throw new ModelConfigException("vae.encoder config key 'dims': only 3-D convolutions are supported");
        e.Choice("norm_layer", "pixel_norm", "pixel_norm");
        return new VideoVaeConfig(
            InChannels: e.Int("in_channels", 3),
            OutChannels: 3,
            LatentChannels: e.Int("out_channels", vae.Int("latent_channels", 128)),
            EncoderBlocks: VaeBlockSpec.ListFrom(e, e.Has("blocks") ? "blocks" : "encoder_blocks"),
            DecoderBlocks: Array.Empty<VaeBlockSpec>(),
            PatchSize: e.Int("patch_size", 4),
            LatentLogVar: e.Choice("latent_log_var", "uniform", "uniform", "per_channel", "constant", "none"),
            CausalDecoder: false,
            TimestepConditioning: false,
            EncoderPadding: Padding(e.Choice("spatial_padding_mode", vae.Choice("encoder_spatial_padding_mode", "zeros", "zeros", "reflect"), "zeros", "reflect")),
            DecoderPadding: ConvPaddingMode.Zeros,
            DecoderBaseChannels: 0) { IsDiffusionVae = true };
    }

    /// <summary>True for a <c>CausalDiffusionVAE</c> file: only the encoder fields are meaningful here.</summary>
    public bool IsDiffusionVae { get; init; }

    private static ConvPaddingMode Padding(string mode) => mode == "reflect" ? ConvPaddingMode.Reflect : ConvPaddingMode.Zeros;

    /// <summary>Pixel frames, rows and columns per latent one on the encoder side (8, 32, 32 for the released VAEs).</summary>
    public ScaleFactors EncoderScale => ScaleFactors.FromBlocks(EncoderBlocks, PatchSize);

    /// <summary>The decoder's expansion, derived from its own block list.</summary>
    public ScaleFactors DecoderScale => ScaleFactors.FromBlocks(DecoderBlocks, PatchSize);
}
