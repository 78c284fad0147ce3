namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// A rough peak-memory estimate of one untiled <see cref="DiffusionVideoDecoder"/> decode (tiled diffusion decode is not
/// ported): stage 5 dominates, one token per patch of every frame. At a block's peak the SwiGLU holds three 4x-wide hidden
/// tensors beside x, the normed input and the output (~16 widths), the context stays resident, x_t and the prediction are
/// pixel-sized, and the neighbourhood gather holds a few window blocks of <see cref="NeighborhoodWindows.ElementBudget"/>.
/// </summary>
public static class DiffusionDecodeMemory
{
    public static long EstimateBytes(DiffusionDecoderConfig config, long height, long width, long frames, long elementSize)
    {
        long tokens = frames * (height / config.PatchSize) * (width / config.PatchSize);
        long perToken = 16L * config.Stage5Channels + 2L * config.ContextChannels + 4L * config.OutChannels * config.PatchSize * config.PatchSize;
        long windows = 6 * NeighborhoodWindows.ElementBudget;
        return (tokens * perToken + windows) * elementSize;
    }
}
