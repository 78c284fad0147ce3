using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Builds the video VAE encoder / conv decoder from a released file: the single-file layout
/// (<c>vae.encoder.*</c>, <c>vae.decoder.*</c>, <c>vae.per_channel_statistics.*</c>) or an LTX-2.5 split VAE file with
/// bare <c>encoder.*</c> / <c>decoder.*</c> / <c>per_channel_statistics.*</c>; config from <c>__metadata__["config"]["vae"]</c>.
/// Extra statistics entries of the real files (<c>channel</c>, <c>mean-of-stds</c>) are ignored, as the reference's
/// non-strict load does; a missing module key is an error.
/// </summary>
public static class VideoVaeLoader
{
    public static VideoVaeConfig ReadConfig(SafetensorsFile file) =>
        VideoVaeConfig.From(ConfigReader.FromMetadata(file.Metadata, "vae", file.Path));

    public static ConvVideoDecoder LoadDecoder(SafetensorsFile file, Device device, DType dtype = DType.Float32)
    {
        var config = ReadConfig(file);
        if (config.IsDiffusionVae)
            throw new ModelConfigException($"{file.Path}: this video VAE has the LTX-2.5 diffusion decoder ({DiffusionDecoderConfig.ClassName}), " +
                "not the convolutional one; load it with LoadDiffusionDecoder");
        return LayoutOf(file).LoadCoder(o => new ConvVideoDecoder(config, o), dtype, file, device, "decoder.");
    }

    /// <summary>True when the file's <c>vae._class_name</c> is the LTX-2.5 diffusion decoder (<c>CausalDiffusionVAE</c>).</summary>
    public static bool IsDiffusionDecoder(SafetensorsFile file) =>
        ConfigReader.FromMetadata(file.Metadata, "vae", file.Path).String("_class_name", VideoVaeConfig.ConvClassName) == DiffusionDecoderConfig.ClassName;

    /// <summary>The LTX-2.5 diffusion decoder (config <c>vae</c> with a nested <c>decoder</c> dict), keys through <see cref="DiffusionDecoderTensorSource"/>.</summary>
    public static DiffusionVideoDecoder LoadDiffusionDecoder(SafetensorsFile file, Device device, DType dtype = DType.Float32)
    {
        var config = DiffusionDecoderConfig.From(ConfigReader.FromMetadata(file.Metadata, "vae", file.Path));
        return KeyMappedSource.Build(o => new DiffusionVideoDecoder(config, o), dtype, new DiffusionDecoderTensorSource(file), device, KeyRule.Identity);
    }

    public static VideoEncoder LoadEncoder(SafetensorsFile file, Device device, DType dtype = DType.Float32) =>
        LayoutOf(file).LoadCoder(o => new VideoEncoder(ReadConfig(file), o), dtype, file, device, "encoder.");

    /// <summary>The latent statistics alone (what the latent upsampler's wrapper needs), [C] each.</summary>
    public static PerChannelStatistics LoadStatistics(SafetensorsFile file, Device device) =>
        LayoutOf(file).LoadStatistics(ReadConfig(file).LatentChannels, 1, file, device);

    /// <summary>"vae." in the single-file layout, "" in a split VAE file.</summary>
    public static string PrefixOf(ITensorSource file) =>
        file.Keys.Any(k => k.StartsWith("vae.", StringComparison.Ordinal)) ? "vae." : "";

    private static VaeFileLayout LayoutOf(ITensorSource file) => new(PrefixOf(file));
}
