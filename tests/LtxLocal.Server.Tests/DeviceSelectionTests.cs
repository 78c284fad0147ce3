using System.Net;
using LtxLocal.Inference;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Ltx:Devices=auto (the default): every GPU the inventory lists, else one CPU worker and a warning. A named cuda:N
/// the inventory does not list stops the start-up with a message naming it.
/// </summary>
public sealed class DeviceSelectionTests
{
    [Fact]
    public async Task Auto_without_a_gpu_serves_on_the_cpu_and_warns()
    {
        var log = new LogCapture();
        await using var host = new TestHost(new() { ["Ltx:Devices"] = null }, s =>
        {
            s.AddSingleton<IGpuInventory>(new FakeGpuInventory());
            s.AddSingleton<ILoggerProvider>(log);
        });
        var ready = await TestHost.ReadAsync(await host.Anonymous().GetAsync("/ready"));
        Assert.Equal("cpu", (string?)ready["checks"]!["devices"]!["detail"]);
        Assert.True((bool)ready["ready"]!);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No CUDA GPU"));
        Assert.Contains("CPU", warning.Message);

        var job = await host.SubmitAsync();
        await host.WaitForAsync((string)job["id"]!, "completed");
    }

    [Fact]
    public async Task Auto_with_gpus_uses_every_gpu_and_not_the_cpu()
    {
        await using var host = new TestHost(new() { ["Ltx:Devices"] = "auto" }, s => s.AddSingleton<IGpuInventory>(
            new FakeGpuInventory(new GpuInfo(0, "a", 80L << 30, 80L << 30), new GpuInfo(1, "b", 80L << 30, 80L << 30))));
        var ready = await TestHost.ReadAsync(await host.Anonymous().GetAsync("/ready"));
        Assert.Equal("cuda:0,cuda:1", (string?)ready["checks"]!["devices"]!["detail"]);
    }

    [Fact]
    public async Task Explicit_gpu_that_does_not_exist_stops_the_start_up()
    {
        var root = Directory.CreateTempSubdirectory("ltx-devices-").FullName;
        try
        {
            var error = await Record.ExceptionAsync(async () =>
            {
                await using var host = new TestHost(new() { ["Ltx:Devices"] = "cuda:3" }, root: root,
                    services: s => s.AddSingleton<IGpuInventory>(new FakeGpuInventory(new GpuInfo(0, "a", 1L << 30, 1L << 30))));
                await host.Client.GetAsync("/health");
            });
            Assert.NotNull(error);
            var message = string.Join(" | ", Flatten(error));
            Assert.Contains("cuda:3", message);
            Assert.Contains("does not exist", message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<string> Flatten(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e.Message;
    }
}
