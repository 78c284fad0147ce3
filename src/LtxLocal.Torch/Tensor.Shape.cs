using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

// Views and shape ops.
public sealed partial class Tensor
{
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.ltx_reshape(Handle, p, shape.Length), "Reshape");
    }

    /// <summary>A view with a new shape; fails when the layout does not allow one (use Reshape).</summary>
    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.ltx_view(Handle, p, shape.Length), "View");
    }

    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* p = dims) return Wrap(NativeMethods.ltx_permute(Handle, p, dims.Length), "Permute");
    }

    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.ltx_transpose(Handle, dim0, dim1), "Transpose");

    /// <summary>Matrix transpose of the last two dims (PyTorch's .mT).</summary>
    public Tensor MT => Transpose(-2, -1);

    public Tensor Narrow(long dim, long start, long length) =>
        Wrap(NativeMethods.ltx_narrow(Handle, dim, start, length), "Narrow");

    /// <summary>x[..., start:end:step, ...] along <paramref name="dim"/>; end may exceed the size (clamped).</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) =>
        Wrap(NativeMethods.ltx_slice(Handle, dim, start, end, step), "Slice");

    /// <summary>x[..., index, ...]: removes <paramref name="dim"/>.</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.ltx_select(Handle, dim, index), "Select");

    public Tensor IndexSelect(long dim, Tensor index) =>
        Wrap(NativeMethods.ltx_index_select(Handle, dim, index.Handle), "IndexSelect");

    public Tensor Gather(long dim, Tensor index) => Wrap(NativeMethods.ltx_gather(Handle, dim, index.Handle), "Gather");

    public Tensor Scatter(long dim, Tensor index, Tensor source) =>
        Wrap(NativeMethods.ltx_scatter(Handle, dim, index.Handle, source.Handle), "Scatter");

    /// <summary>Splits into pieces of the given sizes along <paramref name="dim"/>.</summary>
    public unsafe Tensor[] Split(long[] sizes, long dim = 0)
    {
        var output = new IntPtr[sizes.Length];
        int count;
        fixed (long* s = sizes)
        fixed (IntPtr* o = output)
            count = NativeMethods.ltx_split(Handle, s, sizes.Length, dim, o, output.Length);
        return WrapAll(output, count, "Split");
    }

    /// <summary>Splits into pieces of <paramref name="size"/> (the last may be smaller).</summary>
    public Tensor[] Split(long size, long dim = 0)
    {
        long total = Size((int)dim);
        var sizes = new List<long>();
        for (long start = 0; start < total; start += size) sizes.Add(Math.Min(size, total - start));
        return Split(sizes.ToArray(), dim);
    }

    public unsafe Tensor[] Chunk(long chunks, long dim = 0)
    {
        var output = new IntPtr[Math.Max(chunks, 1)];
        int count;
        fixed (IntPtr* o = output) count = NativeMethods.ltx_chunk(Handle, chunks, dim, o, output.Length);
        return WrapAll(output, count, "Chunk");
    }

    private static Tensor[] WrapAll(IntPtr[] handles, int count, string context)
    {
        if (count < 0) throw TorchException.FromNative(context);
        var result = new Tensor[count];
        for (int i = 0; i < count; i++) result[i] = new Tensor(new TensorHandle(handles[i]));
        return result;
    }

    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* p = shape) return Wrap(NativeMethods.ltx_expand(Handle, p, shape.Length), "Expand");
    }

    public Tensor ExpandAs(Tensor other) => Expand(other.Shape);

    public unsafe Tensor Repeat(params long[] repeats)
    {
        fixed (long* p = repeats) return Wrap(NativeMethods.ltx_repeat(Handle, p, repeats.Length), "Repeat");
    }

    public Tensor RepeatInterleave(long repeats, long dim) =>
        Wrap(NativeMethods.ltx_repeat_interleave(Handle, repeats, dim), "RepeatInterleave");

    public Tensor Squeeze() => Wrap(NativeMethods.ltx_squeeze(Handle, 0, 1), "Squeeze");

    public Tensor Squeeze(long dim) => Wrap(NativeMethods.ltx_squeeze(Handle, dim, 0), "Squeeze");

    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.ltx_unsqueeze(Handle, dim), "Unsqueeze");

    public Tensor Flatten(long startDim = 0, long endDim = -1) =>
        Wrap(NativeMethods.ltx_flatten(Handle, startDim, endDim), "Flatten");

    public Tensor Contiguous() => Wrap(NativeMethods.ltx_contiguous(Handle), "Contiguous");

    public unsafe Tensor Flip(params long[] dims)
    {
        fixed (long* p = dims) return Wrap(NativeMethods.ltx_flip(Handle, p, dims.Length), "Flip");
    }

    public unsafe Tensor Roll(long[] shifts, long[] dims)
    {
        if (shifts.Length != dims.Length) throw new ArgumentException("Roll needs one shift per dim");
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(NativeMethods.ltx_roll(Handle, s, d, dims.Length), "Roll");
    }

    public Tensor Roll(long shift, long dim) => Roll(new[] { shift }, new[] { dim });

    public Tensor Tril(long diagonal = 0) => Wrap(NativeMethods.ltx_tril(Handle, diagonal, 0), "Tril");

    public Tensor Triu(long diagonal = 0) => Wrap(NativeMethods.ltx_tril(Handle, diagonal, 1), "Triu");

    /// <summary>Indices of non-zero elements, [n, ndim] int64.</summary>
    public Tensor Nonzero() => Wrap(NativeMethods.ltx_nonzero(Handle), "Nonzero");

    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false, bool stable = false)
    {
        var values = NativeMethods.ltx_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, out var indices);
        var v = Wrap(values, "Sort");
        return (v, Wrap(indices, "Sort"));
    }

    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true)
    {
        var values = NativeMethods.ltx_topk(Handle, k, dim, largest ? 1 : 0, out var indices);
        var v = Wrap(values, "TopK");
        return (v, Wrap(indices, "TopK"));
    }
}
