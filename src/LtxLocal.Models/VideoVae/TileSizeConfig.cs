namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Size-based VAE tiling in pixel / frame units (ltx_core/tiling.py <c>TileSizeConfig</c>). Tiles are cut on the latent
/// grid: size // scale and overlap // scale per axis, frames split causally.
/// </summary>
public sealed record TileSizeConfig(AxisTiling Frames, AxisTiling Height, AxisTiling Width)
{
    /// <summary>The encoder default of the pipelines: 768 px / 64 px overlap, 80 frames / 24 overlap.</summary>
    public static TileSizeConfig Default { get; } = new(new AxisTiling(80, 24), new AxisTiling(768, 64), new AxisTiling(768, 64));

    /// <summary>
    /// The decoder default of the pipelines: a long-side tile (768 px, 64 px overlap) scaled per axis in latent units,
    /// <c>round(size · axis / long)</c>, and the given frame tiling (80 / 24 by default).
    /// </summary>
    public static TileSizeConfig FromLongSide(AxisTiling longSide, int height, int width, ScaleFactors scale, AxisTiling? frames = null)
    {
        if (!longSide.IsTiled) throw new ArgumentException("the long-side tiling must have a tile size");
        int span = Math.Max(height, width);
        int AxisSize(int length, int factor)
        {
            int axisLatent = length / factor, longLatent = span / factor, sizeLatent = longSide.TileSize / factor;
            int lower = Math.Max(2, longSide.Overlap / factor + 1);
            int tile = Math.Max(lower, (int)Math.Round(sizeLatent * (double)axisLatent / longLatent, MidpointRounding.ToEven)) * factor;
            return Math.Max(tile, Math.Max(2 * factor, longSide.Overlap + factor));
        }
        return new TileSizeConfig(frames ?? new AxisTiling(80, 24),
            new AxisTiling(AxisSize(height, scale.Height), longSide.Overlap),
            new AxisTiling(AxisSize(width, scale.Width), longSide.Overlap));
    }

    /// <summary>The latent-grid intervals of each axis (frames, height, width) for a latent of the given extents.</summary>
    public (DimensionInterval[] Time, DimensionInterval[] Height, DimensionInterval[] Width) Split(
        ScaleFactors scale, long latentFrames, long latentHeight, long latentWidth)
    {
        return (Axis(Frames, scale.Time, latentFrames, true), Axis(Height, scale.Height, latentHeight, false),
            Axis(Width, scale.Width, latentWidth, false));

        static DimensionInterval[] Axis(AxisTiling cfg, int factor, long length, bool temporal)
        {
            if (!cfg.IsTiled) return TileSplit.Whole(length);
            if (cfg.TileSize < 2 * factor || cfg.TileSize % factor != 0 || cfg.Overlap % factor != 0)
                throw new ArgumentException($"tile size {cfg.TileSize} / overlap {cfg.Overlap} must be multiples of {factor} and at least {2 * factor}");
            int overlap = cfg.Overlap / factor;
            int size = Math.Max(Math.Max(2, overlap + 1), cfg.TileSize / factor);
            return temporal ? TileSplit.TemporalCausal(size, overlap, length) : TileSplit.BySize(size, overlap, length);
        }
    }

    public override string ToString() =>
        $"frames {Describe(Frames)}, height {Describe(Height)}, width {Describe(Width)}";

    private static string Describe(AxisTiling a) => a.IsTiled ? $"{a.TileSize}/{a.Overlap}" : "untiled";
}
