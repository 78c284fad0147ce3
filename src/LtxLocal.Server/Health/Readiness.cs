using LtxLocal.Inference;
using LtxLocal.Media;

namespace LtxLocal.Server.Health;

/// <summary>
/// /ready's answer: each check (ffmpeg, the default model, the backend, devices, the cluster) and, when the default model
/// cannot run or the cluster cannot serve, the reason in the documented error shape.
/// </summary>
public sealed class Readiness(IModelCatalog catalog, Availability availability, DeviceSelection devices, FfmpegTools ffmpeg, ClusterStatus cluster)
{
    public async Task<ReadinessResponse> CheckAsync(CancellationToken token)
    {
        var model = catalog.Default;
        var (nodes, clusterProblem) = await cluster.ReadAsync(token);
        var checks = new Dictionary<string, CheckDto>
        {
            ["ffmpeg"] = new(true, ffmpeg.Version),
            ["model"] = model is null ? new(false, availability.NoModelMessage) : new(true, model.Id),
            ["backend"] = availability.WhyNoBackend is { } noBackend ? new(false, noBackend) : new(true, "inference backend loaded"),
            ["devices"] = devices.Devices.Count == 0 ? new(false, devices.Problem ?? "none") : new(true, string.Join(",", devices.Devices)),
            ["cluster"] = clusterProblem is null ? new(true, $"{nodes.Count} live node(s)") : new(false, clusterProblem),
        };
        var why = availability.WhyNot(model) ?? clusterProblem;
        var view = cluster.ToDto(nodes);
        return why is null
            ? new ReadinessResponse(true, checks, Cluster: view)
            : new ReadinessResponse(false, checks, "error", new ErrorDetail("service_unavailable", why), view);
    }
}
