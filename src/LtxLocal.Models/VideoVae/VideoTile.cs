using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>A tile over (frames, height, width) of a [B, C, F, H, W] tensor.</summary>
public sealed record VideoTile(TileAxis Time, TileAxis Height, TileAxis Width)
{
    public TileAxis this[int axis] => axis switch { 0 => Time, 1 => Height, _ => Width };

    /// <summary>The input slice [B, C, t, h, w] this tile reads.</summary>
    public Tensor CutInput(Tensor x) =>
        x.Narrow(2, Time.InStart, Time.InLength).Narrow(3, Height.InStart, Height.InLength).Narrow(4, Width.InStart, Width.InLength);

    /// <summary>The output region of <paramref name="buffer"/> (whose frame axis starts at <paramref name="frameOffset"/>), first <paramref name="frames"/> frames.</summary>
    public Tensor OutputRegion(Tensor buffer, long frameOffset, long frames) =>
        buffer.Narrow(2, Time.OutStart - frameOffset, frames).Narrow(3, Height.OutStart, Height.OutLength).Narrow(4, Width.OutStart, Width.OutLength);

    /// <summary>The separable blend weight [1, 1, t, h, w] (length-1 masks broadcast), its time mask cut to <paramref name="frames"/>.</summary>
    public Tensor BlendMask(long frames, Device device)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var t = Time.Mask.Size(0) == 1 ? Time.Mask : Time.Mask.Narrow(0, 0, frames);
        var mask = t.To(device).Reshape(1, 1, -1, 1, 1) * Height.Mask.To(device).Reshape(1, 1, 1, -1, 1)
            * Width.Mask.To(device).Reshape(1, 1, 1, 1, -1);
        return scope.MoveToOuter(mask);
    }

    /// <summary>Whether the tiles' 1-D masks partition unity on every axis of an output of the given (F, H, W).</summary>
    public static bool MasksAreComplementary(IReadOnlyList<VideoTile> tiles, long frames, long height, long width) =>
        new[] { frames, height, width }.Select((length, axis) =>
            TileSplit.PartitionsUnity(tiles.Select(t => (t[axis].OutStart, t[axis].OutEnd, t[axis].Mask)), length)).All(ok => ok);
}
