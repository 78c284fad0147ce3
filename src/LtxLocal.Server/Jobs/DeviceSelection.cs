using LtxLocal.Inference;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// The devices that get a worker each, from Ltx:Devices: "all" (every GPU the inventory finds),
/// a list such as "cuda:0,cuda:1", or "cpu". A CPU worker exists only when named explicitly.
/// </summary>
public sealed class DeviceSelection
{
    public IReadOnlyList<ComputeDevice> Devices { get; }
    /// <summary>Why there is no device, for /ready and the 503 message.</summary>
    public string? Problem { get; }

    public DeviceSelection(IOptions<ServerOptions> options, IEnumerable<IGpuInventory> inventories)
    {
        var spec = options.Value.Devices.Trim();
        var inventory = inventories.FirstOrDefault();
        var devices = new List<ComputeDevice>();
        if (spec is "" or "all")
        {
            var gpus = SafeList(inventory, out var error);
            devices.AddRange(gpus.Select(g => new ComputeDevice($"cuda:{g.Index}")));
            if (devices.Count == 0)
                Problem = error ?? "no CUDA GPU was found; set Ltx:Devices=cpu (or --devices cpu) to run the tiny model on the CPU";
        }
        else
        {
            foreach (var name in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (name != "cpu" && !(name.StartsWith("cuda:") && int.TryParse(name[5..], out _)))
                    throw new InvalidOperationException($"Ltx:Devices: '{name}' is not a device; use cuda:N, cpu or all");
                devices.Add(new ComputeDevice(name));
            }
        }
        Devices = devices.Distinct().ToList();
    }

    private static IReadOnlyList<GpuInfo> SafeList(IGpuInventory? inventory, out string? error)
    {
        error = null;
        if (inventory is null) return [];
        try
        {
            return inventory.List();
        }
        catch (Exception e)
        {
            error = $"the GPU query failed: {e.Message}";
            return [];
        }
    }
}
