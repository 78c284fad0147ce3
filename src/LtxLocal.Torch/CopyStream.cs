using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

/// <summary>
/// A CUDA stream for host-to-device copies beside the compute stream (torch.cuda.Stream used for prefetching): a copy
/// issued here returns at once and runs while kernels run, from pinned host memory (<see cref="Tensor.PinMemory"/>);
/// <see cref="Record"/> marks what was issued so far, and <see cref="CopyEvent.Wait"/> makes the compute stream wait
/// for exactly that, on the GPU. Copies are marked as used by the compute stream, so their memory is not reused while
/// kernels still read it. Only where CUDA is: <see cref="WhyNot"/> says why not elsewhere.
/// </summary>
public sealed class CopyStream : IDisposable
{
    private IntPtr _stream;

    private CopyStream(IntPtr stream, Device device)
    {
        _stream = stream;
        Device = device;
    }

    public Device Device { get; }

    /// <summary>Why there can be no copy stream to <paramref name="device"/>; null when there can.</summary>
    public static string? WhyNot(Device device) =>
        !device.IsCuda ? $"copies to {device} are plain host copies (a copy stream is a CUDA stream)"
        : !Cuda.IsCompiled ? "libltxnative is built against a CPU-only libtorch"
        : !Cuda.IsAvailable ? "no CUDA device is available"
        : null;

    /// <summary>Why host tensors are not page-locked for copies to <paramref name="device"/>; null when they are.</summary>
    public static string? WhyNotPinned(Device device) => WhyNot(device) is { } why ? $"host memory is not pinned: {why}" : null;

    /// <summary>A copy stream on <paramref name="device"/> (a CUDA device; see <see cref="WhyNot"/>).</summary>
    public static CopyStream Open(Device device)
    {
        if (WhyNot(device) is { } why) throw new InvalidOperationException($"no copy stream: {why}");
        var stream = NativeMethods.ltx_copy_stream_new(device.Index);
        if (stream == IntPtr.Zero) throw TorchException.FromNative("CopyStream.Open");
        return new CopyStream(stream, device);
    }

    /// <summary><paramref name="source"/> copied to this stream's device in its dtype, issued without waiting for it.</summary>
    public Tensor Copy(Tensor source) =>
        Tensor.Wrap(NativeMethods.ltx_copy_stream_to(Live(), source.Handle, (int)source.DType), "CopyStream.Copy");

    /// <summary>An event after every copy issued so far.</summary>
    public CopyEvent Record()
    {
        var e = NativeMethods.ltx_copy_stream_record(Live());
        if (e == IntPtr.Zero) throw TorchException.FromNative("CopyStream.Record");
        return new CopyEvent(e);
    }

    private IntPtr Live() => _stream != IntPtr.Zero ? _stream : throw new ObjectDisposedException(nameof(CopyStream));

    public void Dispose()
    {
        if (_stream == IntPtr.Zero) return;
        NativeMethods.ltx_copy_stream_free(_stream);
        _stream = IntPtr.Zero;
    }
}

/// <summary>A point on a <see cref="CopyStream"/>: the copies issued before it.</summary>
public sealed class CopyEvent : IDisposable
{
    private IntPtr _event;

    internal CopyEvent(IntPtr e) => _event = e;

    /// <summary>The device's compute stream waits for the copies before this event (on the GPU; the host goes on).</summary>
    public void Wait()
    {
        if (_event == IntPtr.Zero) throw new ObjectDisposedException(nameof(CopyEvent));
        Tensor.Check(NativeMethods.ltx_copy_event_wait(_event), "CopyEvent.Wait");
    }

    public void Dispose()
    {
        if (_event == IntPtr.Zero) return;
        NativeMethods.ltx_copy_event_free(_event);
        _event = IntPtr.Zero;
    }
}
