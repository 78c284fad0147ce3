using LtxLocal.Inference.Catalog;
using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>The upsampler block: the x2 spatial latent upsampler, run on latents un-normalised with the video VAE's statistics.</summary>
public sealed class LatentUpsampling(LatentUpsampler upsampler, PerChannelStatistics statistics) : IDisposable
{
    public long WeightBytes => Blocks.WeightBytes.Of(upsampler, statistics);

    /// <summary>The x2 upsampler of a folder that has one (<see cref="ModelFiles.Upsampler"/> set).</summary>
    public static LatentUpsampling Load(ModelFiles files, Device device, DType dtype)
    {
        using var vae = SafetensorsFile.Open(files.VideoVae);
        using var file = SafetensorsFile.Open(files.Upsampler!);
        return PartialLoad.Then(VideoVaeLoader.LoadStatistics(vae, device), statistics => new LatentUpsampling(LatentUpsampler.Load(file, device, dtype), statistics));
    }

    /// <summary>[1, C, F, h, w] → [1, C, F, 2h, 2w]; the input stays the caller's.</summary>
    public Tensor Upsample(Tensor latent)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(upsampler.UpsampleVideo(latent, statistics));
    }

    public void Dispose()
    {
        upsampler.Dispose();
        statistics.Dispose();
    }
}
