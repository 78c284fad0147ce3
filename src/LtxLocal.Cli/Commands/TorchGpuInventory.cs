using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>The server's view of the GPUs, from the Torch binding (CUDA device count, free and total memory, what our allocator holds).</summary>
public sealed class TorchGpuInventory : IGpuInventory
{
    public IReadOnlyList<GpuInfo> List()
    {
        if (!Cuda.IsAvailable) return [];
        return [.. Enumerable.Range(0, Cuda.DeviceCount).Select(i =>
        {
            var (free, total) = Cuda.MemoryInfo(i);
            return new GpuInfo(i, Cuda.DeviceName(i), free, total, Cuda.MemoryStats(i).Reserved);
        })];
    }
}
