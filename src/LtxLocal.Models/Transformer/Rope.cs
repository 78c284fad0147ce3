using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Rotary position embedding over fractional [start, end) positions (rope.py). Angles are formed in float32 exactly
/// as the reference does (the frequency grid optionally in double, then rounded), and the tables are cast to the
/// model dtype only after cos/sin.
/// </summary>
public static class Rope
{
    /// <summary>
    /// positions [B, axes, T, 2] -> tables for an attention of inner width <c>config.Dim</c> split into
    /// <c>config.Heads</c> heads. The angle of axis a, frequency f is grid[f]·(2·mid/max_pos[a] − 1), laid out
    /// frequency-major, axis-minor, with the padding entries (cos 1, sin 0) in front.
    /// </summary>
    public static RopeTables Precompute(Tensor positions, RopeConfig config, DType outDType)
    {
        var (dim, theta, maxPos, heads, type, doublePrecisionGrid) = config;
        long axes = positions.Size(1);
        if (axes != maxPos.Length) throw new ArgumentException($"positions have {axes} axes but max_pos has {maxPos.Length}");
        using var scope = TorchRuntime.NewDisposeScope();
        long frequencies = dim / (2 * axes);
        var grid = FrequencyGrid(theta, frequencies, doublePrecisionGrid, positions.Device);
        var middle = (positions.Select(-1, 0) + positions.Select(-1, 1)).Div(2.0); // [B, axes, T]
        var fractions = Tensor.Stack(Enumerable.Range(0, (int)axes).Select(a => middle.Select(1, a).Div(maxPos[a])).ToList(), -1); // [B, T, axes]
        var angles = (grid * (fractions.Unsqueeze(-1) * 2.0 - 1.0)).Transpose(-1, -2).Flatten(2); // [B, T, freq·axes]
        Tensor cos = angles.Cos(), sin = angles.Sin();
        long batch = angles.Size(0), tokens = angles.Size(1);
        if (type == RopeType.Split)
        {
            long pad = dim / 2 - angles.Size(2);
            (cos, sin) = (PadFront(cos, pad, 1), PadFront(sin, pad, 0));
            cos = cos.Reshape(batch, tokens, heads, -1).Transpose(1, 2); // [B, heads, T, head_dim/2]
            sin = sin.Reshape(batch, tokens, heads, -1).Transpose(1, 2);
        }
        else
        {
            long pad = dim % (2 * axes);
            cos = PadFront(cos.RepeatInterleave(2, -1), pad, 1); // [B, T, dim]
            sin = PadFront(sin.RepeatInterleave(2, -1), pad, 0);
        }
        var tables = new RopeTables(scope.MoveToOuter(cos.To(outDType).Contiguous()), scope.MoveToOuter(sin.To(outDType).Contiguous()));
        return tables;
    }

    /// <summary>theta^(f/(n−1))·π/2 for f &lt; n: in double and rounded (frequencies_precision float64) or in float32.</summary>
    public static Tensor FrequencyGrid(double theta, long count, bool doublePrecision, Device device)
    {
        if (doublePrecision)
        {
            // numpy: linspace(0, 1, n) = i·(1/(n−1)) with the last entry exactly 1, then theta**x·π/2, then float32.
            double step = count > 1 ? 1.0 / (count - 1) : 0;
            var values = new float[count];
            for (long i = 0; i < count; i++)
            {
                double exponent = count > 1 && i == count - 1 ? 1.0 : i * step;
                values[i] = (float)(Math.Pow(theta, exponent) * Math.PI / 2);
            }
            return Tensor.From(values, count).To(device);
        }
        using var scope = TorchRuntime.NewDisposeScope();
        var exponents = RopeGridProbe.Apply(Tensor.Linspace(0, 1, count, DType.Float32, device));
        var grid = Tensor.Full(new[] { count }, theta, DType.Float32, device).Pow(exponents).Mul(Math.PI).Div(2);
        return scope.MoveToOuter(grid);
    }

    private static Tensor PadFront(Tensor table, long count, double value)
    {
        if (count == 0) return table;
        var shape = table.Shape;
        shape[^1] = count;
        return Tensor.Cat(new[] { Tensor.Full(shape, value, table.DType, table.Device), table }, -1);
    }

    /// <summary>Rotates x [B, T, heads·head_dim] by the tables.</summary>
    public static Tensor Apply(Tensor x, RopeTables tables, RopeType type) =>
        type == RopeType.Split ? ApplySplit(x, tables) : ApplyInterleaved(x, tables);

    // Per head, channel i rotates with channel i + head_dim/2.
    private static Tensor ApplySplit(Tensor x, RopeTables tables)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long batch = x.Size(0), tokens = x.Size(1), heads = tables.Cos.Size(1);
        var perHead = x.Reshape(batch, tokens, heads, -1).Transpose(1, 2); // [B, heads, T, head_dim]
        long half = perHead.Size(-1) / 2;
        var first = perHead.Narrow(-1, 0, half);
        var second = perHead.Narrow(-1, half, half);
        var rotatedFirst = first * tables.Cos - second * tables.Sin;
        var rotatedSecond = second * tables.Cos + first * tables.Sin;
        var rotated = Tensor.Cat(new[] { rotatedFirst, rotatedSecond }, -1).Transpose(1, 2).Reshape(batch, tokens, -1);
        return scope.MoveToOuter(rotated);
    }

    // Adjacent pairs (2i, 2i+1) over the whole inner vector: x·cos + rot(x)·sin with rot(x) = (−x₂ᵢ₊₁, x₂ᵢ).
    private static Tensor ApplyInterleaved(Tensor x, RopeTables tables)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var shape = x.Shape;
        var pairs = x.Reshape(shape[0], shape[1], -1, 2);
        var rotatedPairs = Tensor.Stack(new[] { pairs.Select(-1, 1).Neg(), pairs.Select(-1, 0) }, -1);
        var result = x * tables.Cos + rotatedPairs.Reshape(shape) * tables.Sin;
        return scope.MoveToOuter(result);
    }
}
