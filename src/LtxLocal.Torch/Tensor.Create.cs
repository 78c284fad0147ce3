using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

// Creation and combination of tensors (PyTorch's torch.zeros, torch.cat, ...), as statics on Tensor.
public sealed unsafe partial class Tensor
{
    public static Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape)
            return Wrap(NativeMethods.ltx_empty(p, shape.Length, (int)dtype, (int)d.Type, d.Index), "Empty");
    }

    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape)
            return Wrap(NativeMethods.ltx_full(p, shape.Length, value, (int)dtype, (int)d.Type, d.Index), "Full");
    }

    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 0, dtype, device);

    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) => Full(shape, 1, dtype, device);

    public static Tensor ZerosLike(Tensor t) => Full(t.Shape, 0, t.DType, t.Device);

    public static Tensor OnesLike(Tensor t) => Full(t.Shape, 1, t.DType, t.Device);

    public static Tensor FullLike(Tensor t, double value) => Full(t.Shape, value, t.DType, t.Device);

    /// <summary>A 0-dim tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full(Array.Empty<long>(), value, dtype, device);

    /// <summary>[start, end) in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.ltx_arange(start, end, step, (int)dtype, (int)d.Type, d.Index), "Arange");
    }

    public static Tensor Arange(long end, DType dtype = DType.Int64, Device? device = null) => Arange(0, end, 1, dtype, device);

    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Wrap(NativeMethods.ltx_linspace(start, end, steps, (int)dtype, (int)d.Type, d.Index), "Linspace");
    }

    /// <summary>Standard normal samples; with a generator the stream is reproducible (CPU: same as PyTorch).</summary>
    public static Tensor Randn(long[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Sample(shape, generator, dtype, device, normal: true);

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(long[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Sample(shape, generator, dtype, device, normal: false);

    // Without a generator the native side draws from libtorch's default one (torch.manual_seed's stream).
    private static Tensor Sample(long[] shape, Generator? generator, DType dtype, Device? device, bool normal)
    {
        var d = device ?? generator?.Device ?? Device.Cpu;
        fixed (long* p = shape)
        {
            var handle = (normal, generator) switch
            {
                (true, null) => NativeMethods.ltx_randn_default(p, shape.Length, (int)dtype, (int)d.Type, d.Index, IntPtr.Zero),
                (true, { } g) => NativeMethods.ltx_randn(p, shape.Length, (int)dtype, (int)d.Type, d.Index, g.Handle),
                (false, null) => NativeMethods.ltx_rand_default(p, shape.Length, (int)dtype, (int)d.Type, d.Index, IntPtr.Zero),
                (false, { } g) => NativeMethods.ltx_rand(p, shape.Length, (int)dtype, (int)d.Type, d.Index, g.Handle),
            };
            return Wrap(handle, normal ? "Randn" : "Rand");
        }
    }

    /// <summary>Samples <paramref name="count"/> indices per row of <paramref name="probabilities"/>.</summary>
    public static Tensor Multinomial(Tensor probabilities, long count, bool replacement = false, Generator? generator = null)
    {
        var handle = generator is null
            ? NativeMethods.ltx_multinomial_default(probabilities.Handle, count, replacement ? 1 : 0, IntPtr.Zero)
            : NativeMethods.ltx_multinomial(probabilities.Handle, count, replacement ? 1 : 0, generator.Handle);
        return Wrap(handle, "Multinomial");
    }

    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => WithHandles(tensors, (p, n) => NativeMethods.ltx_cat(p, n, dim), "Cat");

    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => WithHandles(tensors, (p, n) => NativeMethods.ltx_stack(p, n, dim), "Stack");

    private delegate TensorHandle ListCall(IntPtr* handles, int count);

    // Holds a reference on every handle for the duration of the native call.
    private static Tensor WithHandles(IReadOnlyList<Tensor> tensors, ListCall call, string context)
    {
        var raw = new IntPtr[tensors.Count];
        var added = new bool[tensors.Count];
        try
        {
            for (int i = 0; i < raw.Length; i++)
            {
                tensors[i].Handle.DangerousAddRef(ref added[i]);
                raw[i] = tensors[i].Handle.DangerousGetHandle();
            }
            fixed (IntPtr* p = raw) return Wrap(call(p, raw.Length), context);
        }
        finally
        {
            for (int i = 0; i < raw.Length; i++)
                if (added[i]) tensors[i].Handle.DangerousRelease();
        }
    }

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> holds, else of <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        Wrap(NativeMethods.ltx_where(condition.Handle, a.Handle, b.Handle), "Where");
}
