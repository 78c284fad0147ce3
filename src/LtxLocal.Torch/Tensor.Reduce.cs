using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

// Reductions. No dims = over every element.
public sealed partial class Tensor
{
    internal enum ReduceOp { Sum, Mean, Amax, Amin, Prod, Var, Std, ArgMax, ArgMin, CumSum, All, Any, LogSumExp, Norm }

    private static readonly string[] ReduceNames = Enum.GetNames<ReduceOp>();

    private unsafe Tensor Reduce(ReduceOp op, long[]? dims, bool keepDim, double extra = 0)
    {
        dims ??= Array.Empty<long>();
        fixed (long* p = dims)
        {
            var handle = NativeMethods.ltx_reduce((int)op, Handle, p, dims.Length, keepDim ? 1 : 0, extra);
            return handle.IsInvalid ? throw TorchException.FromNative(ReduceNames[(int)op]) : new Tensor(handle);
        }
    }

    public Tensor Sum() => Reduce(ReduceOp.Sum, null, false);
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, new[] { dim }, keepDim);
    public Tensor Sum(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);

    public Tensor Mean() => Reduce(ReduceOp.Mean, null, false);
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, new[] { dim }, keepDim);
    public Tensor Mean(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);

    public Tensor Amax() => Reduce(ReduceOp.Amax, null, false);
    public Tensor Amax(long dim, bool keepDim = false) => Reduce(ReduceOp.Amax, new[] { dim }, keepDim);
    public Tensor Amax(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amax, dims, keepDim);

    public Tensor Amin() => Reduce(ReduceOp.Amin, null, false);
    public Tensor Amin(long dim, bool keepDim = false) => Reduce(ReduceOp.Amin, new[] { dim }, keepDim);
    public Tensor Amin(long[] dims, bool keepDim = false) => Reduce(ReduceOp.Amin, dims, keepDim);

    public Tensor Prod() => Reduce(ReduceOp.Prod, null, false);
    public Tensor Prod(long dim, bool keepDim = false) => Reduce(ReduceOp.Prod, new[] { dim }, keepDim);

    /// <summary>Variance; <paramref name="unbiased"/> divides by n - 1 (PyTorch's default).</summary>
    public Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        Reduce(ReduceOp.Var, dims, keepDim, unbiased ? 1 : 0);
    public Tensor Var(long dim, bool unbiased = true, bool keepDim = false) => Var(new[] { dim }, unbiased, keepDim);

    public Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false) =>
        Reduce(ReduceOp.Std, dims, keepDim, unbiased ? 1 : 0);
    public Tensor Std(long dim, bool unbiased = true, bool keepDim = false) => Std(new[] { dim }, unbiased, keepDim);

    /// <summary>Index of the largest element (of the flattened tensor when no dim is given).</summary>
    public Tensor ArgMax(long? dim = null, bool keepDim = false) =>
        Reduce(ReduceOp.ArgMax, dim is null ? null : new[] { dim.Value }, keepDim);
    public Tensor ArgMin(long? dim = null, bool keepDim = false) =>
        Reduce(ReduceOp.ArgMin, dim is null ? null : new[] { dim.Value }, keepDim);

    public Tensor CumSum(long dim) => Reduce(ReduceOp.CumSum, new[] { dim }, false);

    public Tensor All() => Reduce(ReduceOp.All, null, false);
    public Tensor All(long dim, bool keepDim = false) => Reduce(ReduceOp.All, new[] { dim }, keepDim);
    public Tensor Any() => Reduce(ReduceOp.Any, null, false);
    public Tensor Any(long dim, bool keepDim = false) => Reduce(ReduceOp.Any, new[] { dim }, keepDim);

    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, new[] { dim }, keepDim);

    /// <summary>p-norm over <paramref name="dims"/> (all elements when null).</summary>
    public Tensor Norm(double p = 2, long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Norm, dims, keepDim, p);
}
