using LtxLocal.Inference;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// The devices that get a worker each, from Ltx:Devices: "auto" (the default: every GPU the inventory finds, else
/// the CPU with a warning), "all" (every GPU, never the CPU), a list such as "cuda:0,cuda:1", or "cpu".
/// A listed cuda:N that the inventory does not know stops the server at start-up: a typo should not leave a
/// server that queues jobs no worker will run.
/// </summary>
public sealed class DeviceSelection
{
    public const string Auto = "auto";

    public IReadOnlyList<ComputeDevice> Devices { get; }
    /// <summary>Why there is no device, for /ready and the 503 message.</summary>
    public string? Problem { get; }

    public DeviceSelection(IOptions<ServerOptions> options, IEnumerable<IGpuInventory> inventories, ILogger<DeviceSelection> logger)
    {
        var spec = (options.Value.Devices ?? "").Trim().ToLowerInvariant();
        var inventory = inventories.FirstOrDefault();
        var devices = new List<ComputeDevice>();
        if (spec is "" or Auto or "all")
        {
            var gpus = SafeList(inventory, out var error);
            devices.AddRange(gpus.Select(g => new ComputeDevice($"cuda:{g.Index}")));
            if (devices.Count == 0 && spec == "all")
                Problem = error ?? "no CUDA GPU was found; set Ltx:Devices=auto or cpu (--devices cpu) to run on the CPU";
            else if (devices.Count == 0)
            {
                devices.Add(new ComputeDevice("cpu"));
                logger.LogWarning("No CUDA GPU found ({Why}): serving on the CPU, which is only practical for the tiny model; --devices cuda:N requires a GPU",
                    error ?? (inventory is null ? "no GPU inventory" : "the CUDA runtime reports none"));
            }
        }
        else
        {
            foreach (var name in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (name != "cpu" && !(name.StartsWith("cuda:") && int.TryParse(name[5..], out _)))
                    throw new InvalidOperationException($"Ltx:Devices: '{name}' is not a device; use auto, all, cuda:N or cpu");
                devices.Add(new ComputeDevice(name));
            }
            if (inventory is not null) RequireListedGpus(devices, inventory);
        }
        Devices = devices.Distinct().ToList();
    }

    private static void RequireListedGpus(List<ComputeDevice> devices, IGpuInventory inventory)
    {
        var wanted = devices.Where(d => d.IsCuda).ToList();
        if (wanted.Count == 0) return;
        var gpus = SafeList(inventory, out var error);
        var missing = wanted.Where(d => gpus.All(g => g.Index != d.Index)).ToList();
        if (missing.Count == 0) return;
        var found = gpus.Count == 0 ? error ?? "no CUDA GPU was found" : "found: " + string.Join(", ", gpus.Select(g => $"cuda:{g.Index} ({g.Name})"));
        throw new InvalidOperationException(
            $"Ltx:Devices names {string.Join(", ", missing)}, which does not exist ({found}); use --devices auto, a listed GPU, or cpu");
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
