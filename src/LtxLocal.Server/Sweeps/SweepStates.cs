namespace LtxLocal.Server.Sweeps;

/// <summary>
/// A sweep's state from its cells' jobs: queued (none started), running (some started or ended, some still to run),
/// completed (all completed), partially_failed (all ended, at least one did not complete), cancelled (DELETE was called
/// and nothing runs any more). A cell whose job row expired counts as ended without completing.
/// </summary>
public static class SweepStates
{
    public const string Queued = "queued", Running = "running", Completed = "completed", PartiallyFailed = "partially_failed", Cancelled = "cancelled";

    /// <summary>The job status a cell shows once its job row has expired and been removed.</summary>
    public const string Expired = "expired";

    public static string Of(IReadOnlyList<string> cellStatuses, bool cancelled)
    {
        bool Live(string s) => s is JobStatus.Queued or JobStatus.Processing;
        if (cellStatuses.Any(Live))
            return cellStatuses.All(s => s == JobStatus.Queued) ? Queued : Running;
        if (cancelled) return Cancelled;
        return cellStatuses.All(s => s == JobStatus.Completed) ? Completed : PartiallyFailed;
    }
}
