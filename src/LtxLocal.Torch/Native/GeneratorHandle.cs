using System.Runtime.InteropServices;

namespace LtxLocal.Torch.Native;

/// <summary>Owns a native random generator.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    public GeneratorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ltx_generator_free(handle);
        return true;
    }
}
