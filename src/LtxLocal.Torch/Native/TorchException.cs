using System.Runtime.InteropServices;

namespace LtxLocal.Torch;

/// <summary>An error reported by ATen (shape mismatch, unsupported dtype, out of memory...) or by the shim.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    /// <summary>The calling thread's last native error.</summary>
    internal static TorchException FromNative(string? context = null)
    {
        var message = Marshal.PtrToStringUTF8(Native.NativeMethods.ltx_last_error()) ?? "unknown native error";
        return new TorchException(context is null ? message : $"{context}: {message}");
    }
}
