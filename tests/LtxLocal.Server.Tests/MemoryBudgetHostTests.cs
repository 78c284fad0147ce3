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
/// What this process holds for its running jobs counts as the next job's: their plans' host bytes, and on the GPU what
/// its caching allocator has reserved.
/// </summary>
public sealed class MemoryBudgetHostTests : IDisposable
{
    private const long Available = 30712345L * 1024;
    private readonly string _meminfo = Path.GetTempFileName();

    public MemoryBudgetHostTests() => File.WriteAllText(_meminfo, "MemTotal:       32594100 kB\nMemAvailable:   30712345 kB\n");

    public void Dispose() => File.Delete(_meminfo);

    private static MemoryBudget Budget(string devices, string? hostLimit, string meminfo, RunningJobs? running = null, long reserved = 0)
    {
        var options = Options.Create(new ServerOptions { Devices = devices, HostMemoryLimit = hostLimit });
        IGpuInventory[] inventories = [new FakeGpuInventory(new GpuInfo(0, "test", 20L << 30, 24L << 30, reserved))];
        var selection = new DeviceSelection(options, inventories, NullLogger<DeviceSelection>.Instance);
        return new MemoryBudget(selection, [], inventories, options, running, new HostMeminfo(meminfo));
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

    [Fact]
    public void Host_memory_a_running_jobs_plan_keeps_counts_as_available_to_the_next_job()
    {
        // The next job is planned now but runs after this one, when what its plan keeps is free again.
        var running = new RunningJobs();
        using var job = new CancellationTokenSource();
        running.Add("job-1", job, hostBytes: 40L << 30);
        Assert.Equal(Available + (40L << 30), Budget("cuda:0", null, _meminfo, running).HostFreeBytes());
        Assert.Equal(64L << 30, Budget("cuda:0", "64GiB", _meminfo, running).HostFreeBytes()); // the limit still caps it
        running.Remove("job-1");
        Assert.Equal(Available, Budget("cuda:0", null, _meminfo, running).HostFreeBytes());
    }

    [Fact]
    public void Gpu_memory_our_own_allocator_holds_counts_as_free_for_the_next_job()
    {
        Assert.Equal(20L << 30, Budget("cuda:0", null, _meminfo).FreeBytes());
        Assert.Equal((20L << 30) + (3L << 30), Budget("cuda:0", null, _meminfo, reserved: 3L << 30).FreeBytes());
    }
}
