using LtxLocal.Torch;

namespace LtxLocal.Torch.Tests;

/// <summary>
/// The device the op tests run on: $LTX_TEST_DEVICE ("cpu" by default, "cuda:0" on a GPU box), plus small
/// helpers to build tensors on it and to read them back for assertions.
/// </summary>
public static class TestDevice
{
    public static Device Current => LtxLocal.Testing.TestDevice.Current;

    public static bool IsCuda => Current.IsCuda;

    /// <summary>A float32 tensor on <see cref="Current"/>.</summary>
    public static Tensor T(float[] values, params long[] shape) => On(Tensor.From(values, shape));

    /// <summary>An int64 tensor on <see cref="Current"/>.</summary>
    public static Tensor L(long[] values, params long[] shape) => On(Tensor.From(values, shape));

    /// <summary>A bool tensor on <see cref="Current"/>.</summary>
    public static Tensor B(bool[] values, params long[] shape) => On(Tensor.From(values, shape));

    /// <summary>0, 1, 2... as float32 on <see cref="Current"/>, shaped.</summary>
    public static Tensor Seq(params long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return T(Enumerable.Range(0, (int)n).Select(i => (float)i).ToArray(), shape);
    }

    /// <summary>Deterministic pseudo-random floats in [-1, 1) from a C# generator (independent of libtorch).</summary>
    public static float[] Values(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>The transpose of a row-major [rows, cols] array (computed in C#).</summary>
    public static float[] Transposed(float[] a, int rows, int cols)
    {
        var t = new float[a.Length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    public static Tensor On(Tensor cpu)
    {
        if (!Current.IsCuda) return cpu;
        using (cpu) return cpu.To(Current);
    }

    public static float[] F32(Tensor t) => t.DType == DType.Float32 ? t.ToArray<float>() : ToF32(t);

    private static float[] ToF32(Tensor t)
    {
        using var f = t.To(DType.Float32);
        return f.ToArray<float>();
    }

    public static long[] I64(Tensor t) => t.ToArray<long>();

    public static bool[] Bools(Tensor t) => t.ToArray<bool>();

    /// <summary>Asserts every value is within <paramref name="tolerance"/> (absolute + relative) of the expected one.</summary>
    public static void Close(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { Assert.True(double.IsNaN(a), $"[{i}]: expected NaN, got {a}"); continue; }
            if (double.IsInfinity(e)) { Assert.True(e == a, $"[{i}]: expected {e}, got {a}"); continue; }
            Assert.True(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)), $"[{i}]: expected {e}, got {a} (tolerance {tolerance})");
        }
    }

    /// <summary>Asserts <paramref name="actual"/> has <paramref name="shape"/> and values close to <paramref name="expected"/>.</summary>
    public static void Close(float[] expected, Tensor actual, long[] shape, double tolerance = 1e-5)
    {
        Assert.Equal(shape, actual.Shape);
        Close(expected, F32(actual), tolerance);
    }

    public static void Close(float[] expected, Tensor actual, double tolerance = 1e-5) => Close(expected, F32(actual), tolerance);

    /// <summary>Asserts two tensors have the same shape and close values.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Close(F32(expected), F32(actual), tolerance);
    }
}

/// <summary>A test that only makes sense on CPU (recorded CPU random streams...); skipped when LTX_TEST_DEVICE is CUDA.</summary>
public sealed class CpuOnlyFactAttribute : FactAttribute
{
    public CpuOnlyFactAttribute()
    {
        if (TestDevice.IsCuda) Skip = "CPU only (LTX_TEST_DEVICE is " + TestDevice.Current + ")";
    }
}
