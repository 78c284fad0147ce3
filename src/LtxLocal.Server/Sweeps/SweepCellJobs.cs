namespace LtxLocal.Server.Sweeps;

/// <summary>The job rows behind a sweep's cells.</summary>
public static class SweepCellJobs
{
    /// <summary>The cells' job rows in grid order (null where the job has expired and was removed).</summary>
    public static async Task<IReadOnlyList<JobRecord?>> CellJobsAsync(this IJobStore jobs, StoredSweep sweep, CancellationToken token)
    {
        var rows = new List<JobRecord?>(sweep.Cells.Count);
        foreach (var cell in sweep.Cells) rows.Add(await jobs.GetAsync(cell.JobId, token));
        return rows;
    }
}
