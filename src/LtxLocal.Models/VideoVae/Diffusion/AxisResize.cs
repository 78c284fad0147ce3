using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// diffusion_tiling.resize_axis: pad or crop one axis to a length. <c>RepeatLast</c> appends copies of the last slice or drops
/// from the end; <c>Symmetric</c> edge-replicates / crops need/2 before and the rest after. Returns how much went before.
/// </summary>
public static class AxisResize
{
    public static Tensor RepeatLast(Tensor x, int dim, long size)
    {
        long length = x.Shape[dim];
        if (length == size) return x.Alias();
        if (length > size) return x.Narrow(dim, 0, size).Contiguous();
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(Tensor.Cat(new[] { x, Edge(x, dim, length - 1, size - length) }, dim));
    }

    public static Tensor Symmetric(Tensor x, int dim, long size, out long before)
    {
        long length = x.Shape[dim];
        long need = Math.Abs(size - length);
        before = need / 2;
        if (length == size) return x.Alias();
        if (length > size) return x.Narrow(dim, before, size).Contiguous();
        using var scope = TorchRuntime.NewDisposeScope();
        var parts = new List<Tensor>();
        if (before > 0) parts.Add(Edge(x, dim, 0, before));
        parts.Add(x);
        if (need - before > 0) parts.Add(Edge(x, dim, length - 1, need - before));
        return scope.MoveToOuter(Tensor.Cat(parts, dim));
    }

    private static Tensor Edge(Tensor x, int dim, long index, long count)
    {
        var shape = x.Shape.ToArray();
        shape[dim] = count;
        return x.Narrow(dim, index, 1).Expand(shape);
    }
}
