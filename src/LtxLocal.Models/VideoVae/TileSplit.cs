using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>Axis splitting and blend masks of ltx_core/tiling.py.</summary>
public static class TileSplit
{
    public static DimensionInterval[] Whole(long length) => new[] { new DimensionInterval(0, length, 0, 0) };

    /// <summary>Tiles of <paramref name="size"/> sharing <paramref name="overlap"/> cells; the last one ends at the edge.</summary>
    public static DimensionInterval[] BySize(long size, long overlap, long length)
    {
        if (size <= 0 || overlap < 0 || overlap >= size) throw new ArgumentException($"invalid tile size {size} / overlap {overlap}");
        if (length <= size) return Whole(length);
        long amount = (length + size - 2 * overlap - 1) / (size - overlap);
        var tiles = new List<DimensionInterval> { new(0, size, 0, overlap) };
        for (long i = 1; i < amount - 1; i++) tiles.Add(new(i * (size - overlap), i * (size - overlap) + size, overlap, overlap));
        tiles.Add(new((amount - 1) * (size - overlap), length, overlap, 0));
        return tiles.ToArray();
    }

    /// <summary>As <see cref="BySize"/>, but every tile after the first starts one latent frame earlier (its own causal first frame).</summary>
    public static DimensionInterval[] TemporalCausal(long size, long overlap, long length)
    {
        if (length <= size) return Whole(length);
        return BySize(size, overlap, length)
            .Select((t, i) => i == 0 ? t : t with { Start = t.Start - 1, LeftRamp = t.LeftRamp + 1 }).ToArray();
    }

    /// <summary>
    /// Ones with linear ramps: the left ramp is linspace(0,1,l+1)[:-1] when it starts from 0 (causal time axis), else
    /// linspace(0,1,l+2)[1:-1]; the right ramp is linspace(1,0,r+2)[1:-1]. Float32 on the CPU, like the reference.
    /// </summary>
    public static Tensor TrapezoidalMask(long length, long rampLeft, long rampRight, bool leftStartsFromZero)
    {
        if (length <= 0) throw new ArgumentException("mask length must be positive");
        rampLeft = Math.Clamp(rampLeft, 0, length);
        rampRight = Math.Clamp(rampRight, 0, length);
        var mask = Tensor.Ones(new[] { length });
        if (rampLeft > 0)
        {
            using var fadeIn = leftStartsFromZero
                ? Tensor.Linspace(0, 1, rampLeft + 1).Narrow(0, 0, rampLeft)
                : Tensor.Linspace(0, 1, rampLeft + 2).Narrow(0, 1, rampLeft);
            using var head = mask.Narrow(0, 0, rampLeft);
            head.Mul_(fadeIn);
        }
        if (rampRight > 0)
        {
            using var fadeOut = Tensor.Linspace(1, 0, rampRight + 2).Narrow(0, 1, rampRight);
            using var tail = mask.Narrow(0, length - rampRight, rampRight);
            tail.Mul_(fadeOut);
        }
        return mask.Clamp_(0, 1);
    }

    /// <summary>Whether the 1-D masks of the distinct tiles on one axis sum to one everywhere (then no weight division).</summary>
    public static bool PartitionsUnity(IEnumerable<(long Start, long End, Tensor Mask)> axisTiles, long length)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var sum = Tensor.Zeros(new[] { length });
        foreach (var (start, end, mask) in axisTiles.DistinctBy(t => (t.Start, t.End)))
            sum.Narrow(0, start, end - start).Add_(mask.To(Device.Cpu, DType.Float32));
        return (sum - 1.0).Abs().Amax().Item() <= 1e-5;
    }
}
