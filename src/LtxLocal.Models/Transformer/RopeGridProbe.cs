using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// A diagnostic scope over the float32 RoPE frequency grids (<c>linspace(0, 1, n)</c> exponents) that
/// <see cref="Rope.FrequencyGrid"/> forms on this async flow: it records the grid sizes formed, and it can move one
/// interior linspace entry of one size up by one float32 ulp. libtorch versions round single interior linspace
/// entries differently, so the parity runners measure with it how far one ulp of the grid moves each output
/// (<see cref="Parity.RopeGridSensitivity"/>). Outside a scope the grids are untouched.
/// </summary>
public sealed class RopeGridProbe : IDisposable
{
    private static readonly AsyncLocal<RopeGridProbe?> Active = new();
    private readonly RopeGridProbe? _outer;
    private readonly SortedSet<long> _counts = [];

    private RopeGridProbe(long count, long index)
    {
        (Count, Index, _outer) = (count, index, Active.Value);
        Active.Value = this;
    }

    /// <summary>A scope that only records the float32 grid sizes formed in it.</summary>
    public static RopeGridProbe Record() => new(0, -1);

    /// <summary>A scope in which entry <paramref name="index"/> of every float32 <c>linspace(0, 1, count)</c> grid is one ulp higher.</summary>
    public static RopeGridProbe NudgeUp(long count, long index)
    {
        if (index <= 0 || index >= count - 1) throw new ArgumentOutOfRangeException(nameof(index), "linspace's endpoints are exact; only interior entries move");
        return new(count, index);
    }

    /// <summary>The linspace size whose entry <see cref="Index"/> moves (0: none).</summary>
    public long Count { get; }

    public long Index { get; }

    /// <summary>The float32 grid sizes formed in this scope so far.</summary>
    public IReadOnlyCollection<long> Counts => _counts;

    /// <summary><paramref name="exponents"/> = linspace(0, 1, n) as this scope sees it: recorded, and nudged when it is the chosen size.</summary>
    internal static Tensor Apply(Tensor exponents)
    {
        if (Active.Value is not { } probe) return exponents;
        long count = exponents.Size(0);
        probe._counts.Add(count);
        if (count != probe.Count) return exponents;
        var values = exponents.To(Device.Cpu).ToArray<float>();
        values[probe.Index] = MathF.BitIncrement(values[probe.Index]);
        return Tensor.From(values, count).To(exponents.Device);
    }

    public void Dispose() => Active.Value = _outer;
}
