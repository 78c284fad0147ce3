using System.Text.RegularExpressions;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

public class DeviceTests
{
    [Fact]
    public void Cuda_queries_match_the_build()
    {
        if (!Cuda.IsAvailable)
        {
            Assert.False(TestDevice.IsCuda, "LTX_TEST_DEVICE asks for CUDA but this libltxnative has none");
            Assert.Equal(0, Cuda.DeviceCount);
            var e = Assert.Throws<TorchException>(() => Cuda.MemoryInfo());
            Assert.StartsWith("Cuda.MemoryInfo: ", e.Message);
            Assert.Contains("CUDA is not available", e.Message);
            Assert.Throws<TorchException>(() => Cuda.Synchronize());
            Assert.Throws<TorchException>(() => Cuda.MemoryStats());
            Assert.Throws<TorchException>(() => Cuda.ResetPeakMemoryStats());
            Assert.Throws<TorchException>(() => Cuda.DeviceName());
            Cuda.EmptyCache(); // a no-op without CUDA
            return;
        }
        Assert.True(Cuda.DeviceCount > 0);
        var (free, total) = Cuda.MemoryInfo();
        Assert.InRange(free, 1, total);
        Assert.False(string.IsNullOrWhiteSpace(Cuda.DeviceName()));
        Cuda.Synchronize();
        var bad = Assert.Throws<TorchException>(() => Cuda.MemoryInfo(Cuda.DeviceCount));
        Assert.Contains("does not exist", bad.Message);
    }

    [CudaOnlyFact]
    public void Cuda_memory_stats_track_an_allocation()
    {
        int index = Current.Index;
        Cuda.Synchronize(index);
        var before = Cuda.MemoryStats(index);
        using (var t = Tensor.Empty(new long[] { 16 << 20 }, DType.Float32, Current)) // 64 MiB
        {
            var during = Cuda.MemoryStats(index);
            Assert.True(during.Allocated - before.Allocated >= 64L << 20);
            Assert.True(during.Reserved >= during.Allocated);
            Assert.True(during.PeakAllocated >= during.Allocated);
        }
        Cuda.ResetPeakMemoryStats(index);
        Cuda.EmptyCache();
    }

    [Fact]
    public void NumThreads_can_be_read_and_set()
    {
        int original = TorchRuntime.NumThreads;
        Assert.True(original >= 1);
        try
        {
            TorchRuntime.NumThreads = 1;
            Assert.Equal(1, TorchRuntime.NumThreads);
            TorchRuntime.NumThreads = 2;
            Assert.Equal(2, TorchRuntime.NumThreads);
            Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.NumThreads = 0);
            Assert.Equal(2, TorchRuntime.NumThreads);
        }
        finally
        {
            TorchRuntime.NumThreads = original;
        }
        Assert.Equal(original, TorchRuntime.NumThreads);
    }

    [Fact]
    public void Version_and_feature_flags_agree()
    {
        var m = Regex.Match(TorchRuntime.Version, @"^(\d+)\.(\d+)");
        Assert.True(m.Success, TorchRuntime.Version);
        int major = int.Parse(m.Groups[1].Value), minor = int.Parse(m.Groups[2].Value);
        Assert.Equal(major > 2 || (major == 2 && minor >= 1), TorchRuntime.Float8IsNative);
        Assert.Equal(major >= 2, TorchRuntime.HasFusedAttention);
    }

    [Fact]
    public void Tensors_report_the_device_they_live_on()
    {
        using var t = Tensor.Zeros(new long[] { 2 }, device: Current);
        Assert.Equal(Current, t.Device);
        using var cpu = t.Cpu();
        Assert.Equal(Device.Cpu, cpu.Device);
        Assert.False(cpu.Device.IsCuda);
        Assert.Equal("cpu", Device.Cpu.ToString());
        Assert.Equal("cuda:1", Device.Cuda(1).ToString());
        using var back = cpu.To(Current);
        Assert.Equal(Current, back.Device);
    }
}
