using LtxLocal.Torch;
using Xunit.Sdk;

namespace LtxLocal.Testing;

/// <summary>Compares tensors under a <see cref="Tolerance"/>; a failure names the worst element (index, expected, actual).</summary>
public static class ParityAssert
{
    public static void Close(Tensor expected, Tensor actual, Tolerance tolerance, string name)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
            throw new XunitException($"{name}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]");
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
        if (worstIndex < 0 || tolerance.Accepts(worst, scale)) return;
        throw new XunitException(
            $"{name}: max error {worst:G4} (relative {worst / Math.Max(scale, double.Epsilon):G4}) exceeds {tolerance}; worst at " +
            $"[{string.Join(", ", Unravel(worstIndex, expected.Shape))}]: expected {e[worstIndex]:G8}, actual {a[worstIndex]:G8}");
    }

    /// <summary>The largest absolute difference (for reporting measured errors).</summary>
    public static double MaxError(Tensor expected, Tensor actual)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return (expected.To(Device.Cpu, DType.Float64) - actual.To(Device.Cpu, DType.Float64)).Abs().Amax().Item();
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
