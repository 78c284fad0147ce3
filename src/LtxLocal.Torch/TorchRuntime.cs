using System.Runtime.InteropServices;
using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

/// <summary>Library-wide settings and facts: versions, seeds, threads, dispose scopes.</summary>
public static class TorchRuntime
{
    /// <summary>Opens a scope that frees every tensor created inside it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>The libtorch version the native shim was built against.</summary>
    public static string Version => Marshal.PtrToStringUTF8(NativeMethods.ltx_torch_version()) ?? "?";

    /// <summary>True when the libtorch has float8 dtypes; otherwise the shim stores float8 as bytes and converts itself.</summary>
    public static bool Float8IsNative => NativeMethods.ltx_float8_is_native() == 1;

    /// <summary>True when attention runs through libtorch's fused scaled_dot_product_attention.</summary>
    public static bool HasFusedAttention => NativeMethods.ltx_has_fused_sdpa() == 1;

    /// <summary>
    /// False when this libtorch's oneDNN computes CPU convolutions wrong (Debian 13's libtorch 2.6 with the system oneDNN):
    /// the shim found it with a one-time check and runs ATen's own kernels instead (right, slower).
    /// </summary>
    public static bool CpuOneDnnConvolutionsOk => NativeMethods.ltx_cpu_onednn_conv_ok() switch
    {
        1 => true,
        0 => false,
        _ => throw TorchException.FromNative("oneDNN convolution check"),
    };

    /// <summary>Seeds the default CPU and CUDA generators (torch.manual_seed).</summary>
    public static void ManualSeed(ulong seed) => NativeMethods.ltx_manual_seed(seed);

    /// <summary>Intra-op CPU threads.</summary>
    public static int NumThreads
    {
        get => NativeMethods.ltx_get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(NumThreads));
            NativeMethods.ltx_set_num_threads(value);
        }
    }

    /// <summary>The float value of one float8 byte (PyTorch's float8 semantics).</summary>
    public static float Float8ToFloat(byte bits, DType format) => NativeMethods.ltx_fp8_to_float(bits, (int)format);

    /// <summary>The float8 byte nearest <paramref name="value"/> (round to nearest even; e4m3fn overflow -> NaN, e5m2 -> inf).</summary>
    public static byte FloatToFloat8(float value, DType format) => NativeMethods.ltx_float_to_fp8(value, (int)format);
}
