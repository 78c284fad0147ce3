using System.Diagnostics;
using LtxLocal.Inference;
using LtxLocal.Inference.Pipelines.Blocks;

namespace LtxLocal.Server.Health;

/// <summary>
/// Refreshes the gauges of <see cref="ServerMetrics"/> just before each scrape: the queue (from the store, so every node
/// sees the shared queue), readiness, the cluster's live nodes, and each device's memory (GPUs from the inventory; the CPU
/// as this process's working set against the memory available to it).
/// </summary>
public sealed class MetricsScrape
{
    private readonly IJobStore _store;
    private readonly ServerMetrics _metrics;
    private readonly DeviceSelection _devices;
    private readonly Availability _availability;
    private readonly IModelCatalog _catalog;
    private readonly ClusterStatus _cluster;
    private readonly RunningJobs _running;
    private readonly IGpuInventory? _inventory;
    private readonly PromptEmbeddingCache _prompts;

    public MetricsScrape(IJobStore store, ServerMetrics metrics, DeviceSelection devices, Availability availability, IModelCatalog catalog,
        ClusterStatus cluster, RunningJobs running, IEnumerable<IGpuInventory> inventories, PromptEmbeddingCache prompts)
    {
        _prompts = prompts;
        (_store, _metrics, _devices, _availability, _catalog, _cluster, _running) = (store, metrics, devices, availability, catalog, cluster, running);
        _inventory = inventories.FirstOrDefault();
        foreach (var device in devices.Devices) metrics.AddDevice(device.Name);
        metrics.Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    private async Task RefreshAsync(CancellationToken token)
    {
        var counts = await _store.CountAsync(token);
        _metrics.QueueDepth.Set(counts.Queued);
        _metrics.Processing.Set(counts.Processing);
        _metrics.Workers.Set(_devices.Devices.Count);
        _metrics.Ready.Set(_availability.WhyNot(_catalog.Default) is null ? 1 : 0);
        _metrics.RunningHere.Set(_running.Count);

        var (nodes, _) = await _cluster.ReadAsync(token);
        _metrics.ClusterNodesLive.Set(nodes.Count);
        var live = nodes.Select(n => (n.Id, n.Name)).ToHashSet();
        foreach (var labels in _metrics.ClusterNodeJobs.GetAllLabelValues())
            if (!live.Contains((labels[0], labels[1]))) _metrics.ClusterNodeJobs.RemoveLabelled(labels);
        foreach (var n in nodes) _metrics.ClusterNodeJobs.WithLabels(n.Id, n.Name).Set(n.Running);

        _metrics.PromptCache(_prompts.EncoderRuns, _prompts.Hits, _prompts.Bytes);
        RefreshMemory();
    }

    private void RefreshMemory()
    {
        IReadOnlyList<GpuInfo> gpus;
        try
        {
            gpus = _inventory?.List() ?? [];
        }
        catch (Exception)
        {
            gpus = []; // a driver hiccup must not break the scrape; the gauges keep their last values
        }
        foreach (var device in _devices.Devices)
        {
            if (device.IsCuda)
            {
                if (gpus.FirstOrDefault(g => g.Index == device.Index) is not { } gpu) continue;
                _metrics.DeviceMemoryUsed.WithLabels(device.Name).Set(gpu.TotalBytes - gpu.FreeBytes);
                _metrics.DeviceMemoryTotal.WithLabels(device.Name).Set(gpu.TotalBytes);
            }
            else
            {
                using var process = Process.GetCurrentProcess();
                _metrics.DeviceMemoryUsed.WithLabels(device.Name).Set(process.WorkingSet64);
                _metrics.DeviceMemoryTotal.WithLabels(device.Name).Set(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
            }
        }
    }
}
