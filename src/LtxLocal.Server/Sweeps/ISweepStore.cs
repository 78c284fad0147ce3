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

    /// <summary>Every sweep created before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(DateTimeOffset before, CancellationToken token);

    /// <summary>How many of <paramref name="jobIds"/> still have a job row.</summary>
    Task<int> CountJobsAsync(IReadOnlyCollection<string> jobIds, CancellationToken token);

    /// <summary>Removes the sweep's row and its cells' quality (nothing when it is already gone).</summary>
    Task DeleteSweepAsync(string id, CancellationToken token);
}
