namespace LtxLocal.Server.Tests.Cluster;

/// <summary>The two-process tests measure timings (lease hand-over, cancel): they run alone, not beside the other test classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
