using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Where a VAE's modules sit in a released file, for the video and the audio VAE alike: everything under one
/// <see cref="Prefix"/> (<c>vae.</c>, <c>audio_vae.</c>, or none in a split file), the encoder and the decoder each
/// beside the latent statistics they own (<c>per_channel_statistics.*</c>).
/// </summary>
public sealed record VaeFileLayout(string Prefix)
{
    private const string StatisticsKeys = "per_channel_statistics.";

    /// <summary>An encoder or decoder (<paramref name="part"/>: "encoder." / "decoder.") with its statistics, built on meta and filled.</summary>
    public T LoadCoder<T>(Func<ModuleOptions, T> create, DType dtype, ITensorSource file, Device device, string part) where T : Module =>
        KeyMappedSource.Build(create, dtype, file, device, (StatisticsKeys, Prefix + StatisticsKeys), ("", Prefix + part));

    /// <summary>The latent statistics alone, in float32, over <paramref name="channelDim"/>.</summary>
    public PerChannelStatistics LoadStatistics(long channels, int channelDim, ITensorSource file, Device device) =>
        KeyMappedSource.Build(o => new PerChannelStatistics(channels, channelDim, o), DType.Float32, file, device, ("", Prefix + StatisticsKeys));
}
