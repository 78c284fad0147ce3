using System.Runtime.InteropServices;

namespace LtxLocal.Torch.Native;

/// <summary>Owns one native tensor handle; frees it exactly once.</summary>
/// <remarks>A handle that views memory it does not own (a memory-mapped checkpoint) holds a reference on
/// that memory's own SafeHandle, so the mapping outlives every view of it.</remarks>
internal sealed class TensorHandle : SafeHandle
{
    private SafeHandle? _owner;

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr handle) : this() => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Keeps <paramref name="owner"/> alive until this handle is released.</summary>
    internal void KeepOwnerAlive(SafeHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        if (added) _owner = owner;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.ltx_tensor_free(handle);
        _owner?.DangerousRelease();
        _owner = null;
        return true;
    }
}
