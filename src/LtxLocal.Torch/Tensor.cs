using System.Runtime.InteropServices;
using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

/// <summary>
/// An n-dimensional array on a device, backed by an ATen tensor. Disposable: dispose it (or create it
/// inside a <see cref="DisposeScope"/>) to free its memory deterministically; the finalizer is only a
/// safety net. Method names follow PyTorch (PascalCase), so model code reads like the reference.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    internal readonly TensorHandle Handle;
    private long[]? _shape;
    private DType? _dtype;
    private Device? _device;

    internal Tensor(TensorHandle handle)
    {
        Handle = handle;
        DisposeScope.Current?.Add(this);
    }

    /// <summary>The scope that will free this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    internal static Tensor Wrap(TensorHandle handle, string? context = null)
    {
        if (handle.IsInvalid) throw TorchException.FromNative(context);
        return new Tensor(handle);
    }

    internal static void Check(int status, string? context = null)
    {
        if (status != 0) throw TorchException.FromNative(context);
    }

    public bool IsDisposed => Handle.IsClosed;

    public void Dispose()
    {
        Handle.Dispose();
    }

    /// <summary>Moves this tensor from the current scope to the enclosing one (or out of all scopes).</summary>
    public Tensor MoveToOuterScope() => Scope is null ? this : Scope.MoveToOuter(this);

    /// <summary>Takes this tensor out of every scope: the caller now owns it.</summary>
    public Tensor DetachFromScope()
    {
        Scope = null;
        return this;
    }

    // ---- properties ----

    public unsafe long[] Shape
    {
        get
        {
            if (_shape is null)
            {
                var buffer = stackalloc long[16];
                int ndim = NativeMethods.ltx_tensor_shape(Handle, buffer, 16);
                if (ndim < 0) throw TorchException.FromNative();
                if (ndim > 16)
                {
                    var large = new long[ndim];
                    fixed (long* p = large) NativeMethods.ltx_tensor_shape(Handle, p, ndim);
                    _shape = large;
                }
                else
                {
                    _shape = new ReadOnlySpan<long>(buffer, ndim).ToArray();
                }
            }
            return (long[])_shape.Clone();
        }
    }

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? dim + shape.Length : dim];
    }

    public unsafe long[] Strides
    {
        get
        {
            var buffer = stackalloc long[32];
            int ndim = NativeMethods.ltx_tensor_strides(Handle, buffer, 32);
            if (ndim < 0) throw TorchException.FromNative();
            return new ReadOnlySpan<long>(buffer, Math.Min(ndim, 32)).ToArray();
        }
    }

    public int Dim => Shape.Length;

    public long Numel
    {
        get
        {
            long n = NativeMethods.ltx_tensor_numel(Handle);
            if (n < 0) throw TorchException.FromNative();
            return n;
        }
    }

    public DType DType
    {
        get
        {
            if (_dtype is null)
            {
                int code = NativeMethods.ltx_tensor_dtype(Handle);
                if (code < 0) throw TorchException.FromNative();
                _dtype = (DType)code;
            }
            return _dtype.Value;
        }
    }

    public Device Device
    {
        get
        {
            if (_device is null)
            {
                Check(NativeMethods.ltx_tensor_device(Handle, out int type, out int index));
                _device = new Device((DeviceType)type, index);
            }
            return _device.Value;
        }
    }

    public bool IsContiguous => NativeMethods.ltx_tensor_is_contiguous(Handle) == 1;

    /// <summary>Bytes of one element (1 for float8 and bool).</summary>
    public long ElementSize => DType.ElementSize();

    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", Shape)}], {DType.TorchName()}, {Device})";

    /// <summary>The tensor's values as ATen prints them (debugging).</summary>
    public string ToStringWithValues()
    {
        var text = NativeMethods.ltx_tensor_repr(Handle);
        if (text == IntPtr.Zero) throw TorchException.FromNative();
        try { return Marshal.PtrToStringUTF8(text) ?? ""; }
        finally { NativeMethods.ltx_string_free(text); }
    }

    // ---- host data ----

    /// <summary>A new CPU tensor holding a copy of <paramref name="data"/>, shaped <paramref name="shape"/> (1-D when none is given).</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var dtype = DTypeExtensions.Of<T>();
        // Like torch.tensor(list): no shape means one dimension (use Tensor.Scalar for 0-dim).
        if (shape.Length == 0) shape = new long[] { data.Length };
        CheckCount(data.Length, shape);
        fixed (T* p = data)
        fixed (long* s = shape)
            return Wrap(NativeMethods.ltx_from_data(p, s, shape.Length, (int)dtype), "From");
    }

    public static Tensor From<T>(T[] data, params long[] shape) where T : unmanaged => From((ReadOnlySpan<T>)data, shape);

    /// <summary>A new CPU tensor of <paramref name="dtype"/> from raw little-endian bytes (float8, bfloat16...).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count * dtype.ElementSize() != bytes.Length)
            throw new ArgumentException($"{bytes.Length} bytes do not hold [{string.Join(", ", shape)}] of {dtype.TorchName()}");
        fixed (byte* p = bytes)
        fixed (long* s = shape)
            return Wrap(NativeMethods.ltx_from_data(p, s, shape.Length, (int)dtype), "FromBytes");
    }

    private static void CheckCount(long length, long[] shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative size in shape [{string.Join(", ", shape)}]");
            count *= d;
        }
        if (count != length)
            throw new ArgumentException($"{length} values do not fill shape [{string.Join(", ", shape)}] ({count} elements)");
    }

    /// <summary>Copies the values to a new array (row-major); T must match the dtype (float for float32...).</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var expected = DTypeExtensions.Of<T>();
        if (expected != DType)
            throw new InvalidOperationException(
                $"ToArray<{typeof(T).Name}> needs a {expected.TorchName()} tensor, this one is {DType.TorchName()}: convert with To(DType.{expected}) first");
        var result = new T[Numel];
        fixed (T* p = result) Check(NativeMethods.ltx_copy_to_host(Handle, p, result.LongLength * sizeof(T)), "ToArray");
        return result;
    }

    /// <summary>The raw bytes of the values, row-major (any dtype, float8 and bfloat16 included).</summary>
    public unsafe byte[] ToBytes()
    {
        var result = new byte[Numel * ElementSize];
        fixed (byte* p = result) Check(NativeMethods.ltx_copy_to_host(Handle, p, result.LongLength), "ToBytes");
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        Check(NativeMethods.ltx_item(Handle, out double value), "Item");
        return value;
    }

    /// <summary>The value of a one-element tensor as <typeparamref name="T"/>; integers are read exactly (no double round trip).</summary>
    public T Item<T>() where T : unmanaged, IConvertible
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(Half) || typeof(T) == typeof(bool))
            return (T)Convert.ChangeType(Item(), typeof(T));
        Check(NativeMethods.ltx_item_int64(Handle, out long value), "Item");
        return (T)Convert.ChangeType(value, typeof(T));
    }

    // ---- conversion and copies ----

    /// <summary>This tensor on <paramref name="device"/> as <paramref name="dtype"/> (the same tensor when nothing changes).</summary>
    public Tensor To(Device device, DType dtype, bool nonBlocking = false, bool copy = false) =>
        Wrap(NativeMethods.ltx_to(Handle, (int)dtype, (int)device.Type, device.Index, nonBlocking ? 1 : 0, copy ? 1 : 0), "To");

    public Tensor To(DType dtype) => To(Device, dtype);

    public Tensor To(Device device) => To(device, DType);

    public Tensor Cpu() => To(Device.Cpu);

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcast, converted).</summary>
    public Tensor Copy_(Tensor source)
    {
        Check(NativeMethods.ltx_copy_(Handle, source.Handle), "Copy_");
        return this;
    }

    public Tensor Clone() => Wrap(NativeMethods.ltx_clone(Handle), "Clone");

    /// <summary>A second handle to the same storage (independently disposable).</summary>
    public Tensor Alias() => Wrap(NativeMethods.ltx_alias(Handle), "Alias");

    /// <summary>
    /// This host tensor in page-locked (pinned) memory, so a copy to a GPU can overlap compute (<see cref="CopyStream"/>).
    /// Without a CUDA device there is no pinned memory: the result is then an alias and <paramref name="pinned"/> is false
    /// (<see cref="CopyStream.WhyNotPinned"/> says why).
    /// </summary>
    public Tensor PinMemory(out bool pinned)
    {
        var result = Wrap(NativeMethods.ltx_pin_memory(Handle, out int flag), "PinMemory");
        pinned = flag == 1;
        return result;
    }

    /// <summary>True when this host tensor is in page-locked memory.</summary>
    public bool IsPinned => NativeMethods.ltx_is_pinned(Handle) == 1;
}
