using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;

namespace LtxLocal.Models.Parity;

/// <summary>The latent upsamplers (spatial x2, x1.5, temporal x2) on an upsampler/ case: the bare forward and the normalised upsample.</summary>
public sealed class UpsamplerParityRunner() : ParityRunner("upsampler")
{
    protected override void Replay(ParityReplay replay)
    {
        using var upsampler = LatentUpsampler.Load(replay.Weights, replay.Device);
        var latent = replay.In("in.latent");
        replay.Check("out.forward", upsampler.Forward(latent));
        using var statistics = PerChannelStatistics.FromTensors(replay.In("in.vae_std_of_means"), replay.In("in.vae_mean_of_means"), replay.Device);
        replay.Check("out.latent", upsampler.UpsampleVideo(latent, statistics));
    }
}
