using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>One output tensor compared with the reference: the worst element and whether the tolerance accepts it.</summary>
public sealed record ParityComparison(string Tensor, double MaxError, double Scale, ParityTolerance Tolerance, string? Failure)
{
    public bool Passed => Failure is null;

    /// <summary>max|expected| and the worst |actual - expected| in float64 on the CPU; a shape mismatch or NaN fails.</summary>
    public static ParityComparison Compare(string name, Tensor expected, Tensor actual, ParityTolerance tolerance)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
            return new(name, double.PositiveInfinity, 0, tolerance,
                $"{name}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
        var e = ToDoubles(expected);
        var a = ToDoubles(actual);
        double worst = -1, scale = 0;
        long worstIndex = -1;
        for (long i = 0; i < e.LongLength; i++)
        {
            scale = Math.Max(scale, Math.Abs(e[i]));
            double error = Math.Abs(a[i] - e[i]);
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            if (error > worst) (worst, worstIndex) = (error, i);
        }
        if (worstIndex < 0 || tolerance.Accepts(worst, scale)) return new(name, Math.Max(worst, 0), scale, tolerance, null);
        return new(name, worst, scale, tolerance,
            $"{name}: max error {worst:G4} (relative {worst / Math.Max(scale, double.Epsilon):G4}) exceeds {tolerance}; worst at " +
            $"[{string.Join(", ", Unravel(worstIndex, expected.Shape))}]: expected {e[worstIndex]:G8}, actual {a[worstIndex]:G8}");
    }

    private static double[] ToDoubles(Tensor t)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return t.To(Device.Cpu, DType.Float64).Contiguous().ToArray<double>();
    }

    private static long[] Unravel(long index, long[] shape)
    {
        var result = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            result[d] = shape[d] == 0 ? 0 : index % shape[d];
            index = shape[d] == 0 ? 0 : index / shape[d];
        }
        return result;
    }
}
