using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Chooses the decode tiling from the memory free on the device: the pipelines' default (768 px long side, 64 px overlap,
/// 80 / 24 frames) when it fits, otherwise the largest smaller candidate that does. Callers override it by passing their
/// own <see cref="TileSizeConfig"/> to <see cref="VideoTiling.TiledDecode(ConvVideoDecoder, Tensor, TileSizeConfig, Generator?)"/>.
/// </summary>
public static class DecodeTilePlanner
{
    private static readonly int[] LongSides = { 768, 640, 512, 384, 256, 128 };
    private static readonly AxisTiling[] FrameTilings = { new(80, 24), new(64, 24), new(48, 16), new(32, 16), new(24, 8), new(16, 8) };

    /// <summary>
    /// Bytes one tile's decode needs: the widest full-resolution stage (decoder base channels at pixel/patch resolution)
    /// held about <c>5</c> times (input, causal-padded copy, conv output, norm and residual), plus the tile's output.
    /// A deliberately round estimate; measured peaks are in the README (`ltx-local bench vae`).
    /// </summary>
    public static long EstimateTileBytes(VideoVaeConfig config, long frames, long height, long width, long elementSize)
    {
        long patch = config.PatchSize;
        long stage = 5L * config.DecoderBaseChannels * frames * (height / patch) * (width / patch);
        long output = 2L * config.OutChannels * frames * height * width;
        return (stage + output) * elementSize;
    }

    /// <summary>Bytes the group buffers of a tiled decode hold (value and weight sums over one temporal group, float32).</summary>
    public static long EstimateGroupBytes(VideoVaeConfig config, long groupFrames, long height, long width) =>
        2L * config.OutChannels * groupFrames * height * width * sizeof(float);

    public static TileSizeConfig Choose(VideoVaeConfig config, long height, long width, long frames, DType dtype, long freeBytes)
    {
        long element = dtype.ElementSize();
        var scale = config.DecoderScale;
        foreach (var frameTiling in FrameTilings)
            foreach (var longSide in LongSides)
            {
                var candidate = TileSizeConfig.FromLongSide(new AxisTiling(longSide, Math.Min(64, longSide / 2)), (int)height, (int)width, scale, frameTiling);
                long tileFrames = Math.Min(frames, candidate.Frames.TileSize + 1);
                long need = EstimateTileBytes(config, tileFrames, Math.Min(height, candidate.Height.TileSize), Math.Min(width, candidate.Width.TileSize), element)
                    + EstimateGroupBytes(config, tileFrames, height, width);
                if (need <= freeBytes * 8 / 10) return candidate;
            }
        return TileSizeConfig.FromLongSide(new AxisTiling(128, 64), (int)height, (int)width, scale, new AxisTiling(16, 8));
    }

    /// <summary>Free bytes on <paramref name="device"/>: cudaMemGetInfo on a GPU, MemAvailable of /proc/meminfo on the CPU.</summary>
    public static long FreeBytes(Device device)
    {
        if (device.IsCuda) return Cuda.MemoryInfo(device.Index).Free;
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
            foreach (var line in File.ReadLines(meminfo))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
