namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The video decoder block: final video latent [1, C, F, H/32, W/32] → pixel chunks [1, 3, f, H, W] in [-1, 1], in
/// presentation order, so frames can be streamed to the encoder as they come. Which decoder a model gets is decided in
/// <see cref="VideoLatentDecoders.Load"/>.
/// </summary>
public interface IVideoLatentDecoder : IDisposable
{
    /// <summary>Bytes of the decoder's weights as loaded.</summary>
    long WeightBytes { get; }

    IEnumerable<Tensor> Decode(Tensor latent, int width, int height, int frames, Generator generator);
}
