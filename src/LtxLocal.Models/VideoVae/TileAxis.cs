using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>One tile's slice on one axis: where it is cut from the input, where it lands in the output, its 1-D blend mask.</summary>
public sealed record TileAxis(long InStart, long InEnd, long OutStart, long OutEnd, Tensor Mask)
{
    public long InLength => InEnd - InStart;

    public long OutLength => OutEnd - OutStart;
}
