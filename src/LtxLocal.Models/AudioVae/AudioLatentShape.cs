namespace LtxLocal.Models.AudioVae;

/// <summary>Audio latent lengths as the pipelines compute them (ltx_core/types.py <c>AudioLatentShape</c>).</summary>
public static class AudioLatentShape
{
    /// <summary>
    /// Latent frames for a video of <paramref name="numFrames"/> at <paramref name="fps"/>:
    /// round(frames / fps · sr / hop / 4) in double, half to even (Python's round). 25 latents per second at the defaults.
    /// </summary>
    public static long FramesForVideo(long numFrames, double fps, int sampleRate = 16000, int hopLength = 160,
        int downsampleFactor = AudioVaeConfig.LatentDownsampleFactor)
    {
        double latentsPerSecond = sampleRate / (double)hopLength / downsampleFactor;
        return (long)Math.Round(numFrames / fps * latentsPerSecond, MidpointRounding.ToEven);
    }

    /// <summary>Mel frames the causal decoder produces for <paramref name="latentFrames"/>: max(4T - 3, 1).</summary>
    public static long MelFrames(long latentFrames, int downsampleFactor = AudioVaeConfig.LatentDownsampleFactor) =>
        Math.Max(latentFrames * downsampleFactor - (downsampleFactor - 1), 1);
}
