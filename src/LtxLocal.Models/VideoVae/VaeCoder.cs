using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// What the VAE encoders and decoders (video and audio) have in common: the config they were built from and the
/// per-channel latent statistics they own (<c>per_channel_statistics.*</c>), which an encoder normalises its means
/// with and a decoder un-normalises its input with.
/// </summary>
public abstract class VaeCoder<TConfig> : Module
{
    /// <param name="channelDim">1 for video latents [B, C, F, H, W], -1 for the audio token view [B, T, C·mel]</param>
    protected VaeCoder(TConfig config, long latentChannels, int channelDim, ModuleOptions? options)
    {
        Config = config;
        Statistics = RegisterModule("per_channel_statistics", new PerChannelStatistics(latentChannels, channelDim, options));
    }

    public TConfig Config { get; }

    public PerChannelStatistics Statistics { get; }
}
