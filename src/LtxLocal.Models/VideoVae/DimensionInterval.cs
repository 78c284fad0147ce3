namespace LtxLocal.Models.VideoVae;

/// <summary>One tile's extent on one latent axis: [Start, End) and the blend ramps shared with its neighbours.</summary>
public readonly record struct DimensionInterval(long Start, long End, long LeftRamp, long RightRamp)
{
    public long Length => End - Start;
}
