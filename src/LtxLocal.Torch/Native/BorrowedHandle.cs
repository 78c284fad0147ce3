namespace LtxLocal.Torch.Native;

/// <summary>
/// The raw pointer of an optional tensor for a native call, with a reference held on its handle until
/// disposed (so a finalizer cannot free it mid-call). Null tensors give IntPtr.Zero.
/// </summary>
internal readonly ref struct BorrowedHandle
{
    private readonly TensorHandle? _handle;

    public BorrowedHandle(Tensor? tensor)
    {
        if (tensor is null) return;
        bool added = false;
        tensor.Handle.DangerousAddRef(ref added);
        if (added) _handle = tensor.Handle;
    }

    public IntPtr Pointer => _handle?.DangerousGetHandle() ?? IntPtr.Zero;

    public void Dispose() => _handle?.DangerousRelease();
}
