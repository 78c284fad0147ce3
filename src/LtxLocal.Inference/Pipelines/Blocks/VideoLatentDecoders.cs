using LtxLocal.Inference.Catalog;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>Which video decoder a VAE file carries: the LTX-2.5 diffusion decoder, else the conv decoder (tiled).</summary>
public static class VideoLatentDecoders
{
    public static IVideoLatentDecoder Load(ModelFiles files, Device device, DType dtype)
    {
        using var vae = SafetensorsFile.Open(files.VideoVae);
        return VideoVaeLoader.IsDiffusionDecoder(vae)
            ? new DiffusionLatentDecoder(VideoVaeLoader.LoadDiffusionDecoder(vae, device, dtype), device, dtype)
            : new ConvTiledVideoDecoder(VideoVaeLoader.LoadDecoder(vae, device, dtype), device, dtype);
    }
}
