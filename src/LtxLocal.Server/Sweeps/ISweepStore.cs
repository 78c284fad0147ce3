namespace LtxLocal.Server.Sweeps;

/// <summary>
/// Where sweeps are kept, beside the jobs their cells are (the same database, so a restart or another node sees them):
/// the sweep's grid and job ids, when it was cancelled, and each cell's quality numbers once measured.
/// </summary>
public interface ISweepStore
{
    Task AddSweepAsync(SweepRecord sweep, CancellationToken token);

    Task<SweepRecord?> GetSweepAsync(string id, CancellationToken token);

    /// <summary>Records that the sweep was cancelled (the first cancel's time is kept).</summary>
    Task MarkSweepCancelledAsync(string id, DateTimeOffset at, CancellationToken token);

    /// <summary>The cached quality JSON of each measured cell, by cell index.</summary>
    Task<IReadOnlyDictionary<int, string>> SweepQualityAsync(string id, CancellationToken token);

    /// <summary>Caches one cell's quality JSON (a later write of the same cell replaces it).</summary>
    Task SaveSweepQualityAsync(string id, int cell, string qualityJson, CancellationToken token);
}
