namespace LtxLocal.Models.VideoVae;

/// <summary>Tiling of one axis in pixels / frames; a tile size of 0 leaves the axis untiled.</summary>
public readonly record struct AxisTiling(int TileSize, int Overlap)
{
    public bool IsTiled => TileSize > 0;

    public static AxisTiling None => default;
}
