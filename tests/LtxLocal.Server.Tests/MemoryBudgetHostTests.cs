using LtxLocal.Inference;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Jobs;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Tests;

/// <summary>
/// The host budget the planner fits plans' host memory into: on a CUDA worker the host's MemAvailable (from a meminfo
/// file written here), capped by Ltx:HostMemoryLimit; without the file only the limit; on a CPU worker only the limit.
/// </summary>
public sealed class MemoryBudgetHostTests : IDisposable
{
    private const long Available = 30712345L * 1024;
    private readonly string _meminfo = Path.GetTempFileName();

    public MemoryBudgetHostTests() => File.WriteAllText(_meminfo, "MemTotal:       32594100 kB\nMemAvailable:   30712345 kB\n");

    public void Dispose() => File.Delete(_meminfo);

    private static MemoryBudget Budget(string devices, string? hostLimit, string meminfo)
    {
        var options = Options.Create(new ServerOptions { Devices = devices, HostMemoryLimit = hostLimit });
        IGpuInventory[] inventories = [new FakeGpuInventory(new GpuInfo(0, "test", 20L << 30, 24L << 30))];
        var selection = new DeviceSelection(options, inventories, NullLogger<DeviceSelection>.Instance);
        return new MemoryBudget(selection, [], inventories, options, new HostMeminfo(meminfo));
    }

    [Fact]
    public void A_cuda_worker_without_a_limit_is_bound_by_the_hosts_available_memory()
    {
        var budget = Budget("cuda:0", null, _meminfo);
        Assert.Equal(Available, budget.HostFreeBytes());
        Assert.Contains("MemAvailable", budget.HostBudgetName);
    }

    [Theory]
    [InlineData("16GiB", 16L << 30)]
    [InlineData("64GiB", Available)]
    public void A_cuda_worker_with_a_limit_takes_the_lesser_of_it_and_the_available_memory(string limit, long expected)
    {
        var budget = Budget("cuda:0", limit, _meminfo);
        Assert.Equal(expected, budget.HostFreeBytes());
        Assert.Contains("--host-memory-limit", budget.HostBudgetName);
    }

    [Fact]
    public void Without_meminfo_only_the_limit_bounds_the_host()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-meminfo-{Guid.NewGuid():N}");
        Assert.Null(Budget("cuda:0", null, missing).HostFreeBytes());
        Assert.Equal(8L << 30, Budget("cuda:0", "8GiB", missing).HostFreeBytes());
    }

    [Fact]
    public void A_cpu_worker_has_no_separate_host_bound_unless_one_is_configured()
    {
        Assert.Null(Budget("cpu", null, _meminfo).HostFreeBytes());
        Assert.Equal(8L << 30, Budget("cpu", "8GiB", _meminfo).HostFreeBytes());
    }
}
