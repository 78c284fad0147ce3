using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// Nodes sharing a queue must share the outputs folder too: a job's file is written by whichever node ran
/// it and downloaded from any. Each node writes a marker file (a random token) there before it registers
/// in the nodes table, so every live node's marker must be visible to every other node; one that is not
/// means this node's DataDir is a different folder.
/// </summary>
public sealed class SharedOutputs(OutputStore storage, ClusterNode node)
{
    private string MarkersDir => Path.Combine(storage.OutputsDir, ".nodes");

    private string MarkerPath(string nodeId) => Path.Combine(MarkersDir, nodeId.Replace('#', '-') + ".marker");

    public async Task WriteMarkerAsync(CancellationToken token)
    {
        Directory.CreateDirectory(MarkersDir);
        await File.WriteAllTextAsync(MarkerPath(node.Id), node.Marker, token);
    }

    public void RemoveMarker() => OutputStore.TryDelete(MarkerPath(node.Id));

    /// <summary>Null when every other live node's marker is seen here; otherwise what is wrong, as advice.</summary>
    public string? Problem(IReadOnlyList<ClusterNodeRecord> liveNodes)
    {
        foreach (var other in liveNodes.Where(n => n.Id != node.Id && n.Marker is not null))
        {
            var path = MarkerPath(other.Id);
            var seen = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
            if (seen == other.Marker) continue;
            return $"the outputs folder {storage.OutputsDir} is not shared with node {other.Name} ({other.Id}): its marker file " +
                   $"{Path.GetFileName(path)} is {(seen is null ? "missing" : "different")} here. Nodes on one PostgreSQL queue need DataDir on " +
                   "shared storage (one volume or NFS export mounted by all), or jobs finished on one node cannot be downloaded from another";
        }
        return null;
    }
}
