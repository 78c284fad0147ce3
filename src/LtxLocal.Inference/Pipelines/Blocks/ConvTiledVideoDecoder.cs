using LtxLocal.Models.VideoVae;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>The convolutional VAE decoder, tiled in space and time to fit the device's free memory.</summary>
public sealed class ConvTiledVideoDecoder(ConvVideoDecoder decoder, Device device, DType dtype) : IVideoLatentDecoder
{
    public ConvVideoDecoder Network => decoder;

    public IEnumerable<Tensor> Decode(Tensor latent, int width, int height, int frames, Generator generator)
    {
        var tiles = DecodeTilePlanner.Choose(decoder.Config, height, width, frames, dtype, DecodeTilePlanner.FreeBytes(device));
        return VideoTiling.TiledDecode(decoder, latent, tiles, generator);
    }

    public long WeightBytes => Blocks.WeightBytes.Of(decoder);

    public void Dispose() => decoder.Dispose();
}
