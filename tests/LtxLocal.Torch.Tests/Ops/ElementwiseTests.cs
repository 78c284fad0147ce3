using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class ElementwiseTests
{
    // Inputs over both signs incl. 0 and values past the usual activation knees; "Positive" for log/sqrt-like ops.
    private static readonly float[] Mixed = { -4.5f, -2.5f, -1.25f, -0.5f, -0.1f, 0f, 0.1f, 0.5f, 1.25f, 2.5f, 3.7f, 25f };
    private static readonly float[] Positive = { 0.01f, 0.2f, 0.5f, 1f, 1.5f, 2f, 7.25f, 100f };

    private static double Erf(double x)
    {
        // Abramowitz-Stegun 7.1.26 is too coarse; use the series / continued fraction via Math's complementary pieces.
        // erf(x) = 2/sqrt(pi) * sum_{n} (-1)^n x^(2n+1) / (n! (2n+1)), converges fast for |x| <= 3; beyond, erf = +-1 to float precision.
        if (Math.Abs(x) > 4) return Math.Sign(x);
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++)
        {
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-17) break;
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static TheoryData<string, bool> UnaryOps => new()
    {
        { "Neg", false }, { "Abs", false }, { "Sign", false }, { "Sqrt", true }, { "Rsqrt", true }, { "Exp", false },
        { "Log", true }, { "Log2", true }, { "Log1p", true }, { "Expm1", false }, { "Sin", false }, { "Cos", false },
        { "Tanh", false }, { "Sigmoid", false }, { "Silu", false }, { "Relu", false }, { "Mish", false }, { "Erf", false },
        { "Gelu", false }, { "GeluTanh", false }, { "Softplus", false }, { "LeakyRelu", false }, { "Floor", false },
        { "Ceil", false }, { "Round", false }, { "Trunc", false }, { "Reciprocal", true }, { "Square", false },
    };

    private static (Func<Tensor, Tensor> Op, Func<double, double> Reference) Unary(string name) => name switch
    {
        "Neg" => (t => t.Neg(), x => -x),
        "Abs" => (t => t.Abs(), Math.Abs),
        "Sign" => (t => t.Sign(), x => Math.Sign(x)),
        "Sqrt" => (t => t.Sqrt(), Math.Sqrt),
        "Rsqrt" => (t => t.Rsqrt(), x => 1 / Math.Sqrt(x)),
        "Exp" => (t => t.Exp(), Math.Exp),
        "Log" => (t => t.Log(), Math.Log),
        "Log2" => (t => t.Log2(), Math.Log2),
        "Log1p" => (t => t.Log1p(), x => Math.Log(1 + x)),
        "Expm1" => (t => t.Expm1(), x => Math.Exp(x) - 1),
        "Sin" => (t => t.Sin(), Math.Sin),
        "Cos" => (t => t.Cos(), Math.Cos),
        "Tanh" => (t => t.Tanh(), Math.Tanh),
        "Sigmoid" => (t => t.Sigmoid(), Sigmoid),
        "Silu" => (t => t.Silu(), x => x * Sigmoid(x)),
        "Relu" => (t => t.Relu(), x => Math.Max(x, 0)),
        "Mish" => (t => t.Mish(), x => x * Math.Tanh(Softplus(x))),
        "Erf" => (t => t.Erf(), Erf),
        // exact GELU: x * Phi(x) = x/2 (1 + erf(x / sqrt 2))
        "Gelu" => (t => t.Gelu(), x => x / 2 * (1 + Erf(x / Math.Sqrt(2)))),
        // approximate="tanh": x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        "GeluTanh" => (t => t.Gelu(tanhApproximation: true), x => x / 2 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        "Softplus" => (t => t.Softplus(), Softplus),
        "LeakyRelu" => (t => t.LeakyRelu(0.2), x => x >= 0 ? x : 0.2 * x),
        "Floor" => (t => t.Floor(), Math.Floor),
        "Ceil" => (t => t.Ceil(), Math.Ceiling),
        "Round" => (t => t.Round(), x => Math.Round(x, MidpointRounding.ToEven)),
        "Trunc" => (t => t.Trunc(), Math.Truncate),
        "Reciprocal" => (t => t.Reciprocal(), x => 1 / x),
        "Square" => (t => t.Square(), x => x * x),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_op_matches_the_CSharp_reference(string name, bool positiveDomain)
    {
        var input = positiveDomain ? Positive : Mixed;
        var (op, reference) = Unary(name);
        using var x = T(input, input.Length);
        using var y = op(x);
        Assert.Equal(DType.Float32, y.DType);
        Close(input.Select(v => (float)reference(v)).ToArray(), y, new long[] { input.Length }, 2e-6);
        Assert.Equal(input, F32(x)); // the out-of-place form leaves its input alone
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_op_on_a_transposed_view_matches_the_contiguous_result(string name, bool positiveDomain)
    {
        var input = positiveDomain ? Positive : Mixed;
        var (op, _) = Unary(name);
        using var x = T(input, 2, input.Length / 2);
        using var xt = x.MT;
        using var y = op(xt);
        using var expected = op(xt.Contiguous());
        Assert.Equal(new[] { (long)input.Length / 2, 2 }, y.Shape);
        Close(expected, y, 1e-6); // vectorised and strided kernels may differ in the last bit
    }

    [Fact]
    public void Round_uses_half_to_even()
    {
        using var t = T(new[] { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f }, 5);
        Assert.Equal(new[] { 0f, 2, 2, -0f, -2 }, F32(t.Round()));
    }

    [Fact]
    public void Softplus_with_beta_and_threshold()
    {
        // softplus(x; beta, threshold) = x if beta x > threshold else log(1 + exp(beta x)) / beta
        var input = new[] { -2f, 0f, 1f, 3f, 6f };
        using var t = T(input, 5);
        using var y = t.Softplus(2, 10);
        Close(input.Select(x => 2 * x > 10 ? x : (float)(Math.Log(1 + Math.Exp(2.0 * x)) / 2)).ToArray(), y, 1e-6);
    }

    [Fact]
    public void Logical_unary_ops_give_bool()
    {
        using var t = T(new[] { 0f, float.NaN, float.PositiveInfinity, -2f }, 4);
        using var nan = t.IsNan();
        using var fin = t.IsFinite();
        using var not = t.LogicalNot();
        Assert.Equal(DType.Bool, nan.DType);
        Assert.Equal(new[] { false, true, false, false }, Bools(nan));
        Assert.Equal(new[] { true, false, false, true }, Bools(fin));
        Assert.Equal(new[] { true, false, false, false }, Bools(not));
        using var bang = !B(new[] { true, false }, 2);
        Assert.Equal(new[] { false, true }, Bools(bang));
    }

    private static readonly float[] A = { -3f, -1.5f, 0.5f, 2f, 4f, 7f };
    private static readonly float[] Bv = { 2f, -0.5f, 0.25f, 3f, -4f, 2f };

    public static TheoryData<string> BinaryOps => new()
    {
        "Add", "Sub", "Mul", "Div", "Maximum", "Minimum", "Remainder", "FloorDivide", "Atan2", "Pow",
    };

    private static (Func<Tensor, Tensor, Tensor> Op, Func<Tensor, double, Tensor>? Scalar, Func<double, double, double> Reference) Binary(string name) => name switch
    {
        "Add" => ((a, b) => a.Add(b), (a, s) => a.Add(s), (x, y) => x + y),
        "Sub" => ((a, b) => a.Sub(b), (a, s) => a.Sub(s), (x, y) => x - y),
        "Mul" => ((a, b) => a.Mul(b), (a, s) => a.Mul(s), (x, y) => x * y),
        "Div" => ((a, b) => a.Div(b), (a, s) => a.Div(s), (x, y) => x / y),
        "Maximum" => ((a, b) => a.Maximum(b), null, Math.Max),
        "Minimum" => ((a, b) => a.Minimum(b), null, Math.Min),
        // Python's modulo: the result has the divisor's sign
        "Remainder" => ((a, b) => a.Remainder(b), (a, s) => a.Remainder(s), (x, y) => x - Math.Floor(x / y) * y),
        "FloorDivide" => ((a, b) => a.FloorDivide(b), (a, s) => a.FloorDivide(s), (x, y) => Math.Floor(x / y)),
        "Atan2" => ((a, b) => a.Atan2(b), null, Math.Atan2),
        "Pow" => ((a, b) => a.Abs().Pow(b), (a, s) => a.Abs().Pow(s), (x, y) => Math.Pow(Math.Abs(x), y)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_op_with_a_tensor_and_with_a_scalar_matches_the_reference(string name)
    {
        var (op, scalar, reference) = Binary(name);
        using var a = T(A, 2, 3);
        using var b = T(Bv, 2, 3);
        using var y = op(a, b);
        Close(A.Zip(Bv, (x, v) => (float)reference(x, v)).ToArray(), y, new long[] { 2, 3 }, 1e-6);
        if (scalar is null) return;
        using var ys = scalar(a, 2.5);
        Close(A.Select(x => (float)reference(x, 2.5)).ToArray(), ys, new long[] { 2, 3 }, 1e-6);
        Assert.Equal(DType.Float32, ys.DType);
    }

    [Fact]
    public void Broadcasting_column_plus_row_gives_the_outer_sum()
    {
        using var col = T(new[] { 1f, 2, 3 }, 3, 1);
        using var row = T(new[] { 10f, 20, 30, 40 }, 1, 4);
        using var s = col + row;
        Assert.Equal(new long[] { 3, 4 }, s.Shape);
        var expected = new float[12];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) expected[i * 4 + j] = (i + 1) + (j + 1) * 10;
        Assert.Equal(expected, F32(s));
        using var p = col * row;
        Assert.Equal(new long[] { 3, 4 }, p.Shape);
        Assert.Equal(120f, F32(p)[11]);
    }

    [Fact]
    public void Broadcasting_over_leading_dims_and_rank()
    {
        using var x = Seq(2, 3, 4);
        using var v = T(new[] { 1f, 2, 3, 4 }, 4);
        using var y = x * v;
        var xs = F32(x);
        Assert.Equal(xs.Select((e, i) => e * (i % 4 + 1)).ToArray(), F32(y));
        using var bad = Seq(3);
        var e = Assert.Throws<TorchException>(() => x + bad);
        Assert.Contains("size of tensor a (4) must match the size of tensor b (3)", e.Message);
    }

    [Fact]
    public void Operators_with_scalars_on_either_side()
    {
        using var t = T(new[] { 1f, 2, 4 }, 3);
        Assert.Equal(new[] { 3f, 4, 6 }, F32(t + 2));
        Assert.Equal(new[] { 3f, 4, 6 }, F32(2 + t));
        Assert.Equal(new[] { -1f, 0, 2 }, F32(t - 2));
        Assert.Equal(new[] { 1f, 0, -2 }, F32(2 - t));
        Assert.Equal(new[] { 3f, 6, 12 }, F32(t * 3));
        Assert.Equal(new[] { 3f, 6, 12 }, F32(3 * t));
        Assert.Equal(new[] { 0.5f, 1, 2 }, F32(t / 2));
        Assert.Equal(new[] { 4f, 2, 1 }, F32(4 / t));
        Assert.Equal(new[] { -1f, -2, -4 }, F32(-t));
        using var u = T(new[] { 1f, 1, 2 }, 3);
        Assert.Equal(new[] { 2f, 3, 6 }, F32(t + u));
        Assert.Equal(new[] { 0f, 1, 2 }, F32(t - u));
        Assert.Equal(new[] { 1f, 2, 8 }, F32(t * u));
        Assert.Equal(new[] { 1f, 2, 2 }, F32(t / u));
    }

    [Fact]
    public void Integer_tensor_with_an_integral_scalar_stays_int64()
    {
        using var ids = L(new long[] { 1, 2, 3 }, 3);
        using var plus = ids + 1;
        Assert.Equal(DType.Int64, plus.DType);
        Assert.Equal(new long[] { 2, 3, 4 }, I64(plus));
        using var times = ids * 3;
        Assert.Equal(DType.Int64, times.DType);
        using var rem = ids.Remainder(2);
        Assert.Equal(new long[] { 1, 0, 1 }, I64(rem));
        using var fd = L(new long[] { -7, 7 }, 2).FloorDivide(2);
        Assert.Equal(new long[] { -4, 3 }, I64(fd));
        // a fractional scalar promotes to the default float dtype, true division always does (as in PyTorch)
        using var half = ids + 0.5;
        Assert.Equal(DType.Float32, half.DType);
        Assert.Equal(new[] { 1.5f, 2.5f, 3.5f }, F32(half));
        using var div = ids / 2;
        Assert.Equal(DType.Float32, div.DType);
        Assert.Equal(new[] { 0.5f, 1, 1.5f }, F32(div));
        // large int64 values are not rounded through double
        using var big = L(new long[] { (1L << 53) + 1 }, 1) + 2;
        Assert.Equal((1L << 53) + 3, I64(big)[0]);
    }

    [Fact]
    public void Float32_tensor_with_a_double_scalar_stays_float32()
    {
        using var t = T(new[] { 1f, 2 }, 2);
        using var y = t * 0.1;
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(new[] { 0.1f, 0.2f }, F32(y));
        using var h = t.To(DType.BFloat16);
        using var hy = h + 1e-3;
        Assert.Equal(DType.BFloat16, hy.DType);
        using var f16 = t.To(DType.Float16) * 3.0;
        Assert.Equal(DType.Float16, f16.DType);
    }

    [Fact]
    public void Tensor_tensor_promotion_follows_PyTorch()
    {
        using var i = L(new long[] { 1, 2 }, 2);
        using var f = T(new[] { 0.5f, 0.5f }, 2);
        using var s = i + f;
        Assert.Equal(DType.Float32, s.DType);
        using var bf = f.To(DType.BFloat16);
        using var h = f.To(DType.Float16);
        using var mixed = bf + h; // bfloat16 + float16 -> float32
        Assert.Equal(DType.Float32, mixed.DType);
        using var d = f.To(DType.Float64) + f;
        Assert.Equal(DType.Float64, d.DType);
    }

    [Fact]
    public void Comparisons_give_bool_tensors()
    {
        using var a = T(new[] { 1f, 2, 3 }, 3);
        using var b = T(new[] { 3f, 2, 1 }, 3);
        Assert.Equal(new[] { false, true, false }, Bools(a.Eq(b)));
        Assert.Equal(new[] { true, false, true }, Bools(a.Ne(b)));
        Assert.Equal(new[] { true, false, false }, Bools(a.Lt(b)));
        Assert.Equal(new[] { true, true, false }, Bools(a.Le(b)));
        Assert.Equal(new[] { false, false, true }, Bools(a.Gt(b)));
        Assert.Equal(new[] { false, true, true }, Bools(a.Ge(b)));
        Assert.Equal(new[] { false, true, false }, Bools(a.Eq(2)));
        Assert.Equal(new[] { true, false, true }, Bools(a.Ne(2)));
        Assert.Equal(new[] { true, false, false }, Bools(a.Lt(2)));
        Assert.Equal(new[] { true, true, false }, Bools(a.Le(2)));
        Assert.Equal(new[] { false, false, true }, Bools(a.Gt(2)));
        Assert.Equal(new[] { false, true, true }, Bools(a.Ge(2)));
        Assert.Equal(DType.Bool, a.Gt(2).DType);
        using var c = a.Gt(1);
        using var d = a.Lt(3);
        Assert.Equal(new[] { false, true, false }, Bools(c & d));
        Assert.Equal(new[] { true, true, true }, Bools(c | d));
        Assert.Equal(new[] { false, true, false }, Bools(c.LogicalAnd(d)));
    }

    [Fact]
    public void Inplace_binary_ops_modify_the_tensor_and_its_aliases()
    {
        using var t = T(new[] { 1f, 2, 3, 4 }, 2, 2);
        using var view = t.View(4);
        using var r = t.Add_(1);
        Assert.Equal(new[] { 2f, 3, 4, 5 }, F32(t));
        Assert.Equal(new[] { 2f, 3, 4, 5 }, F32(view));
        Assert.Equal(F32(t), F32(r)); // returns (a handle to) the same tensor
        r.Mul_(2);
        Assert.Equal(new[] { 4f, 6, 8, 10 }, F32(view));
        t.Sub_(T(new[] { 1f, 2 }, 2)); // broadcast in-place
        Assert.Equal(new[] { 3f, 4, 7, 8 }, F32(t));
        t.Div_(T(new[] { 1f, 2, 7, 4 }, 2, 2));
        Assert.Equal(new[] { 3f, 2, 1, 2 }, F32(view));
        t.Sub_(1).Mul_(T(new[] { 2f, 2, 2, 2 }, 2, 2)).Div_(4).Add_(T(new[] { 1f, 1, 1, 1 }, 2, 2));
        Assert.Equal(new[] { 2f, 1.5f, 1, 1.5f }, F32(view));
        t.Pow_(2);
        Assert.Equal(new[] { 4f, 2.25f, 1, 2.25f }, F32(view));
    }

    [Fact]
    public void Inplace_unary_ops_modify_the_tensor()
    {
        var input = new[] { -1f, 0f, 0.5f, 2f };
        void Check(Func<Tensor, Tensor> inplace, Func<double, double> reference)
        {
            using var t = T(input, 4);
            using var alias = t.Alias();
            using (inplace(t)) { }
            Close(input.Select(x => (float)reference(x)).ToArray(), alias, 1e-6);
        }
        Check(t => t.Neg_(), x => -x);
        Check(t => t.Exp_(), Math.Exp);
        Check(t => t.Silu_(), x => x * Sigmoid(x));
        Check(t => t.Sigmoid_(), Sigmoid);
        Check(t => t.Tanh_(), Math.Tanh);
        Check(t => t.Gelu_(), x => x / 2 * (1 + Erf(x / Math.Sqrt(2))));
        Check(t => t.Clamp_(min: 0).Sqrt_(), x => Math.Sqrt(Math.Max(x, 0)));
        Check(t => t.Gelu_(true), x => x / 2 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    }

    [Fact]
    public void Inplace_op_on_a_non_contiguous_view_writes_through_to_the_base()
    {
        using var t = Seq(2, 3);
        using var tr = t.MT;
        tr.Add_(T(new[] { 100f, 200 }, 2)); // column j of t (row j of tr) gets... broadcast over tr's last dim
        Assert.Equal(new[] { 100f, 101, 102, 203, 204, 205 }, F32(t));
        using var col = t.Select(1, 1);
        col.Mul_(0);
        Assert.Equal(new[] { 100f, 0, 102, 203, 0, 205 }, F32(t));
    }

    [Fact]
    public void Clamp_limits_to_min_max_or_one_side()
    {
        using var t = T(new[] { -2f, -0.5f, 0.5f, 3f }, 4);
        Assert.Equal(new[] { -1f, -0.5f, 0.5f, 1f }, F32(t.Clamp(-1, 1)));
        Assert.Equal(new[] { 0f, 0, 0.5f, 3f }, F32(t.Clamp(min: 0)));
        Assert.Equal(new[] { -2f, -0.5f, 0f, 0f }, F32(t.Clamp(max: 0)));
        using var alias = t.Alias();
        t.Clamp_(-1, 0.25);
        Assert.Equal(new[] { -1f, -0.5f, 0.25f, 0.25f }, F32(alias));
    }

    [Fact]
    public void Where_selects_elementwise_with_broadcasting()
    {
        using var cond = B(new[] { true, false, true }, 3);
        using var a = T(new[] { 1f, 2, 3 }, 3);
        using var b = T(new[] { -1f }, 1);
        using var w = Tensor.Where(cond, a, b);
        Assert.Equal(new[] { 1f, -1, 3 }, F32(w));
        using var c2 = B(new[] { true, false }, 2, 1);
        using var w2 = Tensor.Where(c2, a, b);
        Assert.Equal(new long[] { 2, 3 }, w2.Shape);
        Assert.Equal(new[] { 1f, 2, 3, -1, -1, -1 }, F32(w2));
    }

    [Fact]
    public void MaskedFill_and_MaskedFill_inplace()
    {
        using var t = Seq(2, 3);
        using var mask = B(new[] { false, true, false }, 3);
        using var f = t.MaskedFill(mask, -9);
        Assert.Equal(new[] { 0f, -9, 2, 3, -9, 5 }, F32(f));
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5 }, F32(t));
        using var alias = t.Alias();
        t.MaskedFill_(mask, float.NegativeInfinity);
        Assert.Equal(new[] { 0f, float.NegativeInfinity, 2, 3, float.NegativeInfinity, 5 }, F32(alias));
    }

    [Fact]
    public void AddCMul_and_Lerp_follow_their_formulas()
    {
        using var a = T(new[] { 1f, 2, 3 }, 3);
        using var b = T(new[] { 2f, 3, 4 }, 3);
        using var c = T(new[] { -1f, 0.5f, 2 }, 3);
        // a + value * b * c
        Assert.Equal(new[] { 1 + 0.5f * -2, 2 + 0.5f * 1.5f, 3 + 0.5f * 8 }, F32(a.AddCMul(b, c, 0.5)));
        Assert.Equal(new[] { -1f, 3.5f, 11 }, F32(a.AddCMul(b, c)));
        // a + w (b - a)
        Assert.Equal(new[] { 1.25f, 2.25f, 3.25f }, F32(a.Lerp(b, 0.25)));
        Assert.Equal(F32(a), F32(a.Lerp(b, 0)));
        Assert.Equal(F32(b), F32(a.Lerp(b, 1)));
    }

    [Fact]
    public void Binary_ops_on_non_contiguous_inputs()
    {
        using var x = Seq(3, 2);      // [[0,1],[2,3],[4,5]]
        using var xt = x.MT;          // [[0,2,4],[1,3,5]], strides [1, 2]
        using var y = Seq(2, 3);      // [[0,1,2],[3,4,5]]
        using var s = xt + y;
        Assert.Equal(new[] { 0f, 3, 6, 4, 7, 10 }, F32(s));
        using var stepped = Seq(12).Slice(0, 0, 12, 2); // 0,2,4,...,10
        using var m = stepped * stepped;
        Assert.Equal(new[] { 0f, 4, 16, 36, 64, 100 }, F32(m));
        using var expanded = T(new[] { 1f, 2 }, 2, 1).Expand(2, 3);
        using var e = y - expanded;
        Assert.Equal(new[] { -1f, 0, 1, 1, 2, 3 }, F32(e));
    }

    [Fact]
    public void Math_on_bfloat16_and_float16_stays_in_that_dtype()
    {
        foreach (var dtype in new[] { DType.BFloat16, DType.Float16 })
        {
            using var t = T(new[] { 1f, 2, -3, 0.5f }, 4).To(dtype);
            using var y = (t * t).Add(1).Mul(0.5);
            Assert.Equal(dtype, y.DType);
            Assert.Equal(new[] { 1f, 2.5f, 5, 0.625f }, F32(y)); // exactly representable in both
            if (dtype == DType.Float16 && !IsCuda) continue; // libtorch 1.13 has no CPU float16 silu kernel
            using var z = y.Silu();
            Assert.Equal(dtype, z.DType);
            Close(new[] { 1f, 2.5f, 5, 0.625f }.Select(x => (float)(x * Sigmoid(x))).ToArray(), z, 1e-2);
        }
    }
}
