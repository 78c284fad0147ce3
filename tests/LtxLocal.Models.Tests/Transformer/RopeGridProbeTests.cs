using LtxLocal.Models.Transformer;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.Transformer;

/// <summary>RopeGridProbe: records the float32 grid sizes formed, moves exactly one entry of one size by one ulp, nothing outside a scope.</summary>
public sealed class RopeGridProbeTests
{
    private static float[] Grid(long count, bool doublePrecision = false)
    {
        using var grid = Rope.FrequencyGrid(10000, count, doublePrecision, Device.Cpu);
        return grid.ToArray<float>();
    }

    private static float[] Exponents(long count)
    {
        using var linspace = Tensor.Linspace(0, 1, count, DType.Float32, Device.Cpu);
        return linspace.ToArray<float>();
    }

    [Fact]
    public void Nudge_moves_one_interior_exponent_of_the_chosen_size_by_one_ulp()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var nominal16 = Grid(16);
        var nominal10 = Grid(10);
        float[] nudged16, nudged10;
        using (RopeGridProbe.NudgeUp(16, 12))
        {
            nudged16 = Grid(16);
            nudged10 = Grid(10);
        }
        Assert.Equal(nominal10, nudged10);
        var exponents = Exponents(16);
        for (int i = 0; i < 16; i++)
        {
            if (i == 12) continue;
            Assert.Equal(nominal16[i], nudged16[i]);
        }
        // θ^l·π/2 with l one ulp higher, formed the same way in float32.
        float l = MathF.BitIncrement(exponents[12]);
        var expected = Tensor.Full(new long[] { 1 }, 10000.0, DType.Float32, Device.Cpu)
            .Pow(Tensor.From(new[] { l }, 1)).Mul(Math.PI).Div(2);
        Assert.Equal(expected.ToArray<float>()[0], nudged16[12]);
        Assert.NotEqual(nominal16[12], nudged16[12]);
        Assert.Equal(nominal16, Grid(16)); // the scope is over
    }

    [Fact]
    public void Record_lists_float32_grid_sizes_only()
    {
        using var probe = RopeGridProbe.Record();
        Grid(16);
        Grid(10);
        Grid(12, doublePrecision: true);
        Assert.Equal(new long[] { 10, 16 }, probe.Counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void Endpoints_cannot_be_nudged(long index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RopeGridProbe.NudgeUp(16, index));
}
