using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The LTX-2.5 diffusion video decoder: untiled, in one chunk, after checking its estimated peak against free memory so
/// an oversized request fails with advice instead of running out of memory.
/// </summary>
public sealed class DiffusionLatentDecoder(DiffusionVideoDecoder decoder, Device device, DType dtype) : IVideoLatentDecoder
{
    public IEnumerable<Tensor> Decode(Tensor latent, int width, int height, int frames, Generator generator)
    {
        long needed = DiffusionDecodeMemory.EstimateBytes(decoder.Config, height, width, frames, dtype.ElementSize());
        long free = DecodeTilePlanner.FreeBytes(device);
        if (needed > free)
            throw new InvalidOperationException($"the diffusion video decoder decodes untiled and needs about {needed >> 20} MiB for " +
                $"{width}x{height}x{frames}, {free >> 20} MiB are free; use a smaller size or the model's conv video VAE file");
        return [decoder.Forward(latent, generator: generator)];
    }

    public long WeightBytes => Blocks.WeightBytes.Of(decoder);

    public void Dispose() => decoder.Dispose();
}
