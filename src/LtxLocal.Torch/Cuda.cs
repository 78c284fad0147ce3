using System.Text;
using LtxLocal.Torch.Native;

namespace LtxLocal.Torch;

/// <summary>CUDA device queries (torch.cuda.*). All report "not available" on a CPU-only build.</summary>
public static unsafe class Cuda
{
    public static bool IsAvailable => NativeMethods.ltx_cuda_is_available() == 1;

    /// <summary>True when the native shim was compiled against a CUDA libtorch, whether or not a device is present.</summary>
    public static bool IsCompiled => NativeMethods.ltx_cuda_compiled() == 1;

    /// <summary>
    /// Whether float32 matmuls and convolutions on CUDA may use TF32 (cuBLAS and cuDNN together). Off for parity
    /// checks: TF32 keeps 10 mantissa bits and would not meet float32 tolerances.
    /// </summary>
    public static bool AllowTF32
    {
        get => NativeMethods.ltx_get_allow_tf32() == 1;
        set => Tensor.Check(NativeMethods.ltx_set_allow_tf32(value ? 1 : 0), "Cuda.AllowTF32");
    }

    /// <summary>The device's compute capability (e.g. 9.0 for H100/H200).</summary>
    public static (int Major, int Minor) ComputeCapability(int device = 0)
    {
        Tensor.Check(NativeMethods.ltx_cuda_compute_capability(device, out int major, out int minor), "Cuda.ComputeCapability");
        return (major, minor);
    }

    public static int DeviceCount => NativeMethods.ltx_cuda_device_count();

    /// <summary>The CUDA runtime libtorch was built with, as "12.4"; null when it has no CUDA (or none is usable).</summary>
    public static string? RuntimeVersion => NativeMethods.ltx_cuda_runtime_version() is > 0 and var v ? $"{v / 1000}.{v % 1000 / 10}" : null;

    /// <summary>Free and total memory of the device, in bytes (cudaMemGetInfo).</summary>
    public static (long Free, long Total) MemoryInfo(int device = 0)
    {
        Tensor.Check(NativeMethods.ltx_cuda_mem_info(device, out long free, out long total), "Cuda.MemoryInfo");
        return (free, total);
    }

    public static void Synchronize(int device = 0) => Tensor.Check(NativeMethods.ltx_cuda_synchronize(device), "Cuda.Synchronize");

    /// <summary>Returns cached, unused blocks of the caching allocator to the driver.</summary>
    public static void EmptyCache() => Tensor.Check(NativeMethods.ltx_cuda_empty_cache(), "Cuda.EmptyCache");

    /// <summary>Bytes held by tensors now, reserved by the caching allocator, and the peak held since the last reset.</summary>
    public static (long Allocated, long Reserved, long PeakAllocated) MemoryStats(int device = 0)
    {
        Tensor.Check(NativeMethods.ltx_cuda_memory_stats(device, out long a, out long r, out long p), "Cuda.MemoryStats");
        return (a, r, p);
    }

    public static void ResetPeakMemoryStats(int device = 0) => Tensor.Check(NativeMethods.ltx_cuda_reset_peak(device), "Cuda.ResetPeak");

    public static string DeviceName(int device = 0)
    {
        var buffer = stackalloc byte[256];
        Tensor.Check(NativeMethods.ltx_cuda_device_name(device, buffer, 256), "Cuda.DeviceName");
        return Encoding.UTF8.GetString(new ReadOnlySpan<byte>(buffer, 256)).TrimEnd('\0');
    }
}
