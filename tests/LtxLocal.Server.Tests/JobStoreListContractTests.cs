using LtxLocal.Server.Jobs;

namespace LtxLocal.Server.Tests;

/// <summary>The list query of GET /v1/jobs on SQLite and PostgreSQL: newest first, strictly after the cursor, filtered, live only.</summary>
public sealed partial class JobStoreContractTests
{
    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task List_is_newest_first_continues_after_the_cursor_and_skips_expired_jobs(string kind)
    {
        var (store, _) = await Initialized(kind);
        // Jobs 1..6; 5 and 6 share a creation time (number_results), so the id breaks the tie.
        var jobs = Enumerable.Range(1, 6).Select(i => Job(i) with { CreatedAt = Now.AddSeconds(Math.Min(i, 5)) }).ToList();
        Assert.True(await store.TryEnqueueAsync(jobs, 10, default));
        Assert.True(await store.CancelAsync("job-0002", Ended(JobStatus.Cancelled), default));
        Assert.True(await store.CancelAsync("job-0003", new JobEnd(JobStatus.Cancelled, Now, Now.AddSeconds(-1)), default)); // expired

        var all = await store.ListAsync(new JobListQuery([], null, 10, Now), default);
        Assert.Equal(["job-0006", "job-0005", "job-0004", "job-0002", "job-0001"], all.Select(j => j.Id));

        var after = await store.ListAsync(new JobListQuery([], JobCursor.After(all[1]), 2, Now), default);
        Assert.Equal(["job-0004", "job-0002"], after.Select(j => j.Id));

        var cancelled = await store.ListAsync(new JobListQuery([JobStatus.Cancelled, JobStatus.Failed], null, 10, Now), default);
        Assert.Equal(["job-0002"], cancelled.Select(j => j.Id));
    }
}
