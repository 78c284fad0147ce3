using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

// Elementwise math, operators and their in-place (trailing underscore) forms.
public sealed partial class Tensor
{
    internal enum UnaryOp
    {
        Neg, Abs, Sign, Sqrt, Rsqrt, Exp, Log, Sin, Cos, Tanh, Sigmoid, Silu, Gelu, GeluTanh, Relu, Softplus,
        Floor, Ceil, Round, Reciprocal, Square, Log1p, Expm1, Erf, LogicalNot, IsNan, IsFinite, Trunc, Log2, Mish,
    }

    internal enum BinaryOp
    {
        Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, Remainder,
        Atan2, FloorDivide, RSub,
    }

    // Op names for error messages, looked up only on failure (Enum.ToString on every call costs more than the op).
    private static readonly string[] UnaryNames = Enum.GetNames<UnaryOp>();
    private static readonly string[] BinaryNames = Enum.GetNames<BinaryOp>();

    private Tensor Unary(UnaryOp op, bool inplace = false)
    {
        var handle = NativeMethods.ltx_unary((int)op, Handle, inplace ? 1 : 0);
        return handle.IsInvalid ? throw TorchException.FromNative(UnaryNames[(int)op]) : new Tensor(handle);
    }

    private Tensor Binary(BinaryOp op, Tensor other, bool inplace = false)
    {
        var handle = NativeMethods.ltx_binary((int)op, Handle, other.Handle, inplace ? 1 : 0);
        return handle.IsInvalid ? throw TorchException.FromNative(BinaryNames[(int)op]) : new Tensor(handle);
    }

    private Tensor Binary(BinaryOp op, double other, bool inplace = false)
    {
        var handle = NativeMethods.ltx_binary_scalar((int)op, Handle, other, inplace ? 1 : 0);
        return handle.IsInvalid ? throw TorchException.FromNative(BinaryNames[(int)op]) : new Tensor(handle);
    }

    public Tensor Neg() => Unary(UnaryOp.Neg);
    public Tensor Abs() => Unary(UnaryOp.Abs);
    public Tensor Sign() => Unary(UnaryOp.Sign);
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor Exp() => Unary(UnaryOp.Exp);
    public Tensor Log() => Unary(UnaryOp.Log);
    public Tensor Log2() => Unary(UnaryOp.Log2);
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    public Tensor Sin() => Unary(UnaryOp.Sin);
    public Tensor Cos() => Unary(UnaryOp.Cos);
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor Silu() => Unary(UnaryOp.Silu);
    public Tensor Relu() => Unary(UnaryOp.Relu);
    public Tensor Mish() => Unary(UnaryOp.Mish);
    public Tensor Erf() => Unary(UnaryOp.Erf);

    /// <summary>GELU; <paramref name="tanhApproximation"/> is PyTorch's approximate="tanh".</summary>
    public Tensor Gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu);

    public Tensor Softplus() => Unary(UnaryOp.Softplus);
    public Tensor Softplus(double beta, double threshold = 20) =>
        Wrap(NativeMethods.ltx_softplus(Handle, beta, threshold), "Softplus");
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Wrap(NativeMethods.ltx_leaky_relu(Handle, negativeSlope), "LeakyRelu");
    public Tensor Floor() => Unary(UnaryOp.Floor);
    public Tensor Ceil() => Unary(UnaryOp.Ceil);
    public Tensor Round() => Unary(UnaryOp.Round);
    public Tensor Trunc() => Unary(UnaryOp.Trunc);
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor Square() => Unary(UnaryOp.Square);
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    public Tensor Neg_() => Unary(UnaryOp.Neg, true);
    public Tensor Exp_() => Unary(UnaryOp.Exp, true);
    public Tensor Sqrt_() => Unary(UnaryOp.Sqrt, true);
    public Tensor Silu_() => Unary(UnaryOp.Silu, true);
    public Tensor Sigmoid_() => Unary(UnaryOp.Sigmoid, true);
    public Tensor Tanh_() => Unary(UnaryOp.Tanh, true);
    public Tensor Gelu_(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu, true);

    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    public Tensor Add(double other) => Binary(BinaryOp.Add, other);
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    public Tensor Sub(double other) => Binary(BinaryOp.Sub, other);
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    public Tensor Mul(double other) => Binary(BinaryOp.Mul, other);
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    public Tensor Div(double other) => Binary(BinaryOp.Div, other);
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Pow(double exponent) => Binary(BinaryOp.Pow, exponent);
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    public Tensor Remainder(double other) => Binary(BinaryOp.Remainder, other);
    public Tensor Remainder(Tensor other) => Binary(BinaryOp.Remainder, other);
    public Tensor FloorDivide(double other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor FloorDivide(Tensor other) => Binary(BinaryOp.FloorDivide, other);
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, other);

    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    public Tensor Eq(double other) => Binary(BinaryOp.Eq, other);
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    public Tensor Ne(double other) => Binary(BinaryOp.Ne, other);
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    public Tensor Lt(double other) => Binary(BinaryOp.Lt, other);
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);
    public Tensor Le(double other) => Binary(BinaryOp.Le, other);
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    public Tensor Gt(double other) => Binary(BinaryOp.Gt, other);
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);
    public Tensor Ge(double other) => Binary(BinaryOp.Ge, other);
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.LogicalAnd, other);
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.LogicalOr, other);

    public Tensor Add_(Tensor other) => Binary(BinaryOp.Add, other, true);
    public Tensor Add_(double other) => Binary(BinaryOp.Add, other, true);
    public Tensor Sub_(Tensor other) => Binary(BinaryOp.Sub, other, true);
    public Tensor Sub_(double other) => Binary(BinaryOp.Sub, other, true);
    public Tensor Mul_(Tensor other) => Binary(BinaryOp.Mul, other, true);
    public Tensor Mul_(double other) => Binary(BinaryOp.Mul, other, true);
    public Tensor Div_(Tensor other) => Binary(BinaryOp.Div, other, true);
    public Tensor Div_(double other) => Binary(BinaryOp.Div, other, true);
    public Tensor Pow_(double exponent) => Binary(BinaryOp.Pow, exponent, true);

    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.ltx_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, 0), "Clamp");

    public Tensor Clamp_(double? min = null, double? max = null) =>
        Wrap(NativeMethods.ltx_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, 1), "Clamp_");

    /// <summary>Sets elements where <paramref name="mask"/> is true to <paramref name="value"/>.</summary>
    public Tensor MaskedFill(Tensor mask, double value) =>
        Wrap(NativeMethods.ltx_masked_fill(Handle, mask.Handle, value, 0), "MaskedFill");

    public Tensor MaskedFill_(Tensor mask, double value) =>
        Wrap(NativeMethods.ltx_masked_fill(Handle, mask.Handle, value, 1), "MaskedFill_");

    /// <summary>this + value * a * b.</summary>
    public Tensor AddCMul(Tensor a, Tensor b, double value = 1) =>
        Wrap(NativeMethods.ltx_addcmul(Handle, a.Handle, b.Handle, value), "AddCMul");

    /// <summary>this + weight * (end - this).</summary>
    public Tensor Lerp(Tensor end, double weight) => Wrap(NativeMethods.ltx_lerp(Handle, end.Handle, weight), "Lerp");

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    public static Tensor operator -(double a, Tensor b) => b.Binary(BinaryOp.RSub, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
    public static Tensor operator /(double a, Tensor b) => b.Reciprocal().Mul(a);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator !(Tensor a) => a.LogicalNot();
    public static Tensor operator &(Tensor a, Tensor b) => a.LogicalAnd(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.LogicalOr(b);

    // ---- linear algebra ----

    public Tensor MatMul(Tensor other) => Wrap(NativeMethods.ltx_matmul(Handle, other.Handle), "MatMul");

    public Tensor Bmm(Tensor other) => Wrap(NativeMethods.ltx_bmm(Handle, other.Handle), "Bmm");

    /// <summary>beta * this + alpha * (a @ b), batched.</summary>
    public Tensor BAddBmm(Tensor a, Tensor b, double beta = 1, double alpha = 1) =>
        Wrap(NativeMethods.ltx_baddbmm(Handle, a.Handle, b.Handle, beta, alpha), "BAddBmm");

    public Tensor Softmax(long dim) => Wrap(NativeMethods.ltx_softmax(Handle, dim, 0), "Softmax");

    public Tensor LogSoftmax(long dim) => Wrap(NativeMethods.ltx_softmax(Handle, dim, 1), "LogSoftmax");
}
