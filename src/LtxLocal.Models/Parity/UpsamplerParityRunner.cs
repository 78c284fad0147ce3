using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>The latent upsamplers (spatial x2, x1.5, temporal x2) on an upsampler/ case: the bare forward and the normalised upsample.</summary>
public sealed class UpsamplerParityRunner : IParityRunner
{
    public string Component => "upsampler";

    public void Run(ParityCase fixture, Device device, Action<string, Tensor> check)
    {
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        using var upsampler = LatentUpsampler.Load(weights, device);
        var latent = fixture.Tensor("in.latent", device);
        check("out.forward", upsampler.Forward(latent));
        var std = fixture.Tensor("in.vae_std_of_means", device);
        using var statistics = new PerChannelStatistics(std.Numel);
        statistics.LoadStateDict(new Dictionary<string, Tensor> { ["std-of-means"] = std, ["mean-of-means"] = fixture.Tensor("in.vae_mean_of_means", device) },
            device: device);
        check("out.latent", upsampler.UpsampleVideo(latent, statistics));
    }
}
