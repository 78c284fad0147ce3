namespace LtxLocal.Server.Sweeps;

/// <summary>Where a sweep's files (its contact sheet) live: DataDir/sweeps/{id}, shared storage in a cluster like outputs.</summary>
public static class SweepFolder
{
    public static string Of(ServerOptions options, string id) => Path.Combine(options.FullDataDir, "sweeps", id);
}
