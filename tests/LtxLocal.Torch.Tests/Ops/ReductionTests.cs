using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class ReductionTests
{
    // x[i, j, k] over shape [2, 3, 4], values from a C# generator
    private static readonly float[] X = Values(24, 17);

    private static float At(int i, int j, int k) => X[i * 12 + j * 4 + k];

    /// <summary>Reduces X over dim 1 (size 3) with <paramref name="reduce"/>, giving [2, 4] row-major.</summary>
    private static float[] OverDim1(Func<double[], double> reduce)
    {
        var result = new float[8];
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 4; k++)
                result[i * 4 + k] = (float)reduce(Enumerable.Range(0, 3).Select(j => (double)At(i, j, k)).ToArray());
        return result;
    }

    private static double Variance(double[] v, int correction)
    {
        double mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / (v.Length - correction);
    }

    public static TheoryData<string> Ops => new() { "Sum", "Mean", "Amax", "Amin", "Prod", "VarU", "VarP", "StdU", "StdP", "LogSumExp", "Norm2", "Norm1" };

    private static (Func<Tensor, long, bool, Tensor> Op, Func<double[], double> Reference) Reduction(string name) => name switch
    {
        "Sum" => ((t, d, k) => t.Sum(d, k), v => v.Sum()),
        "Mean" => ((t, d, k) => t.Mean(d, k), v => v.Average()),
        "Amax" => ((t, d, k) => t.Amax(d, k), v => v.Max()),
        "Amin" => ((t, d, k) => t.Amin(d, k), v => v.Min()),
        "Prod" => ((t, d, k) => t.Prod(d, k), v => v.Aggregate(1.0, (a, b) => a * b)),
        "VarU" => ((t, d, k) => t.Var(d, true, k), v => Variance(v, 1)),
        "VarP" => ((t, d, k) => t.Var(d, false, k), v => Variance(v, 0)),
        "StdU" => ((t, d, k) => t.Std(d, true, k), v => Math.Sqrt(Variance(v, 1))),
        "StdP" => ((t, d, k) => t.Std(d, false, k), v => Math.Sqrt(Variance(v, 0))),
        "LogSumExp" => ((t, d, k) => t.LogSumExp(d, k), v => Math.Log(v.Sum(Math.Exp))),
        "Norm2" => ((t, d, k) => t.Norm(2, new[] { d }, k), v => Math.Sqrt(v.Sum(x => x * x))),
        "Norm1" => ((t, d, k) => t.Norm(1, new[] { d }, k), v => v.Sum(Math.Abs)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void Reduction_over_a_dim_matches_the_reference_with_and_without_keepDim(string name)
    {
        var (op, reference) = Reduction(name);
        using var x = T(X, 2, 3, 4);
        var expected = OverDim1(reference);
        using var y = op(x, 1, false);
        Close(expected, y, new long[] { 2, 4 }, 1e-5);
        using var kept = op(x, 1, true);
        Close(expected, kept, new long[] { 2, 1, 4 }, 1e-5);
        using var negative = op(x, -2, false);
        Close(expected, negative, new long[] { 2, 4 }, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void Reduction_over_a_transposed_view_matches_the_reference(string name)
    {
        var (op, reference) = Reduction(name);
        using var x = T(X, 2, 3, 4);
        using var xt = x.Transpose(1, 2); // [2, 4, 3]; reducing its last dim = X over dim 1
        using var y = op(xt, -1, false);
        Close(OverDim1(reference), y, new long[] { 2, 4 }, 1e-5);
    }

    [Fact]
    public void Reductions_over_all_elements_give_a_scalar()
    {
        using var x = T(X, 2, 3, 4);
        var d = X.Select(v => (double)v).ToArray();
        void Scalar(Tensor t, double expected)
        {
            Assert.Empty(t.Shape);
            Assert.Equal(expected, t.Item(), 4);
        }
        Scalar(x.Sum(), d.Sum());
        Scalar(x.Mean(), d.Average());
        Scalar(x.Amax(), d.Max());
        Scalar(x.Amin(), d.Min());
        Scalar(x.Prod(), d.Aggregate(1.0, (a, b) => a * b));
        Scalar(x.Var(), Variance(d, 1));
        Scalar(x.Var(unbiased: false), Variance(d, 0));
        Scalar(x.Std(), Math.Sqrt(Variance(d, 1)));
        Scalar(x.Std(unbiased: false), Math.Sqrt(Variance(d, 0)));
        Scalar(x.Norm(), Math.Sqrt(d.Sum(v => v * v)));
        Scalar(x.Norm(1), d.Sum(Math.Abs));
    }

    [Fact]
    public void Reductions_over_several_dims()
    {
        using var x = T(X, 2, 3, 4);
        var sums = new float[3];
        var maxes = new float[3];
        for (int j = 0; j < 3; j++)
        {
            var v = Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 4).Select(k => At(i, j, k))).ToArray();
            sums[j] = v.Sum();
            maxes[j] = v.Max();
        }
        Close(sums, x.Sum(new long[] { 0, 2 }), new long[] { 3 }, 1e-5);
        Close(sums, x.Sum(new long[] { 0, -1 }, keepDim: true), new long[] { 1, 3, 1 }, 1e-5);
        Close(sums.Select(s => s / 8).ToArray(), x.Mean(new long[] { 2, 0 }), new long[] { 3 }, 1e-5);
        Close(maxes, x.Amax(new long[] { 0, 2 }), new long[] { 3 }, 0);
        Close(sums.Select((_, j) => Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 4).Select(k => At(i, j, k))).Min()).ToArray(),
            x.Amin(new long[] { 0, 2 }), new long[] { 3 }, 0);
        var var02 = Enumerable.Range(0, 3).Select(j => (float)Variance(
            Enumerable.Range(0, 2).SelectMany(i => Enumerable.Range(0, 4).Select(k => (double)At(i, j, k))).ToArray(), 1)).ToArray();
        Close(var02, x.Var(new long[] { 0, 2 }), new long[] { 3 }, 1e-5);
    }

    [Fact]
    public void ArgMax_and_ArgMin_give_int64_indices()
    {
        using var t = T(new[] { 1f, 5, 3, 9, 0, 2 }, 2, 3);
        using var flat = t.ArgMax();
        Assert.Equal(DType.Int64, flat.DType);
        Assert.Equal(3L, flat.Item<long>());
        Assert.Equal(4L, t.ArgMin().Item<long>());
        Assert.Equal(new long[] { 1, 0 }, I64(t.ArgMax(1)));
        Assert.Equal(new long[] { 0, 1 }, I64(t.ArgMin(1)));
        Assert.Equal(new long[] { 1, 0, 0 }, I64(t.ArgMax(0)));
        using var kept = t.ArgMax(1, keepDim: true);
        Assert.Equal(new long[] { 2, 1 }, kept.Shape);
        // on a transposed view: argmax over t's dim 0
        Assert.Equal(new long[] { 1, 0, 0 }, I64(t.MT.ArgMax(1)));
    }

    [Fact]
    public void CumSum_accumulates_along_a_dim()
    {
        using var t = Seq(2, 3);
        Assert.Equal(new[] { 0f, 1, 3, 3, 7, 12 }, F32(t.CumSum(1)));
        Assert.Equal(new[] { 0f, 1, 2, 3, 5, 7 }, F32(t.CumSum(0)));
        using var ints = L(new long[] { 1, 2, 3 }, 3);
        Assert.Equal(new long[] { 1, 3, 6 }, I64(ints.CumSum(-1)));
    }

    [Fact]
    public void All_and_Any_over_everything_and_a_dim()
    {
        using var m = B(new[] { true, true, false, true, false, false }, 2, 3);
        Assert.False(m.All().Item() != 0);
        Assert.True(m.Any().Item() != 0);
        Assert.Equal(new[] { false, false }, Bools(m.All(1)));
        Assert.Equal(new[] { true, true }, Bools(m.Any(1)));
        Assert.Equal(new[] { true, false, false }, Bools(m.All(0)));
        Assert.Equal(new[] { true, true, false }, Bools(m.Any(0)));
        using var keptAny = m.Any(1, keepDim: true);
        Assert.Equal(new long[] { 2, 1 }, keptAny.Shape);
        using var ones = B(new[] { true, true }, 2);
        Assert.True(ones.All().Item() != 0);
        using var nums = T(new[] { 0f, 0, 2 }, 3);
        Assert.True(nums.Any().Item() != 0); // non-zero counts as true
        Assert.False(nums.All().Item() != 0);
    }

    [Fact]
    public void LogSumExp_is_stable_for_large_values()
    {
        using var t = T(new[] { 1000f, 1000f, -1000f }, 3);
        using var l = t.LogSumExp(0);
        Assert.Equal(1000 + Math.Log(2), l.Item(), 3);
    }

    [Fact]
    public void Sum_of_an_int_tensor_stays_int64_and_mean_of_it_fails()
    {
        using var t = L(new long[] { 1, 2, 3, 4 }, 2, 2);
        using var s = t.Sum();
        Assert.Equal(DType.Int64, s.DType);
        Assert.Equal(10L, s.Item<long>());
        Assert.Throws<TorchException>(() => t.Mean());
    }

    [Fact]
    public void Reductions_over_a_dim_out_of_range_throw()
    {
        using var t = Seq(2, 2);
        var e = Assert.Throws<TorchException>(() => t.CumSum(5));
        Assert.StartsWith("CumSum:", e.Message);
        Assert.Throws<TorchException>(() => t.Sum(3));
        Assert.Throws<TorchException>(() => t.ArgMax(2));
    }

    [Fact]
    public void Reductions_on_bfloat16_accumulate_accurately()
    {
        // 4096 ones: a bfloat16 running sum would stall at 256; ATen accumulates in float
        using var t = Tensor.Ones(new long[] { 4096 }, DType.BFloat16, Current);
        using var s = t.Sum();
        Assert.Equal(DType.BFloat16, s.DType);
        Assert.Equal(4096.0, s.Item());
        using var m = t.Mean();
        Assert.Equal(1.0, m.Item());
    }
}
