using LtxLocal.Server.Sweeps;

namespace LtxLocal.Server.Tests;

/// <summary>
/// The sweep half of the store contract, on SQLite and PostgreSQL: a sweep row read back, its cancel kept, quality cached per
/// cell; sweeps listed oldest first, their cells' jobs counted, a sweep deleted with its quality.
/// </summary>
public sealed partial class JobStoreContractTests
{
    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_sweep_is_kept_with_its_cancel_and_its_cells_quality(string kind)
    {
        var (store, node) = await Initialized(kind);
        var sweeps = (ISweepStore)store;
        var id = Guid.NewGuid().ToString();
        Assert.Null(await sweeps.GetSweepAsync(id, default));
        await sweeps.AddSweepAsync(new SweepRecord(id, "{\"kind\":\"text-to-video\"}", Now, null), default);

        var other = (ISweepStore)node(); // another node sees it
        Assert.Equal(new SweepRecord(id, "{\"kind\":\"text-to-video\"}", Now, null), await other.GetSweepAsync(id, default));
        await other.MarkSweepCancelledAsync(id, Now.AddSeconds(5), default);
        await sweeps.MarkSweepCancelledAsync(id, Now.AddSeconds(9), default); // the first cancel's time stays
        Assert.Equal(Now.AddSeconds(5), (await sweeps.GetSweepAsync(id, default))!.CancelledAt);

        Assert.Empty(await sweeps.SweepQualityAsync(id, default));
        await sweeps.SaveSweepQualityAsync(id, 3, "{\"ssim\":1}", default);
        await sweeps.SaveSweepQualityAsync(id, 0, "{\"ssim\":0.5}", default);
        await other.SaveSweepQualityAsync(id, 0, "{\"ssim\":0.6}", default); // measured again: replaced
        var quality = await sweeps.SweepQualityAsync(id, default);
        Assert.Equal(new Dictionary<int, string> { [0] = "{\"ssim\":0.6}", [3] = "{\"ssim\":1}" }, quality);
        Assert.Empty(await sweeps.SweepQualityAsync(Guid.NewGuid().ToString(), default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Sweeps_are_listed_by_age_counted_by_their_jobs_and_deleted_with_their_quality(string kind)
    {
        var (store, _) = await Initialized(kind);
        var sweeps = (ISweepStore)store;
        var (older, newer) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await sweeps.AddSweepAsync(new SweepRecord(newer, "{}", Now.AddMinutes(1), null), default);
        await sweeps.AddSweepAsync(new SweepRecord(older, "{}", Now, null), default);
        Assert.Equal([older, newer], (await sweeps.ListSweepsAsync(Now.AddMinutes(2), default)).Select(s => s.Id));
        Assert.Equal([older], (await sweeps.ListSweepsAsync(Now.AddSeconds(30), default)).Select(s => s.Id));

        Assert.True(await store.TryEnqueueAsync([Job(1), Job(2)], 10, default));
        Assert.Equal(2, await sweeps.CountJobsAsync([Job(1).Id, Job(2).Id, Guid.NewGuid().ToString()], default));
        Assert.Equal(0, await sweeps.CountJobsAsync([Guid.NewGuid().ToString()], default));
        Assert.Equal(0, await sweeps.CountJobsAsync([], default));

        await sweeps.SaveSweepQualityAsync(older, 0, "{\"ssim\":1}", default);
        await sweeps.DeleteSweepAsync(older, default);
        await sweeps.DeleteSweepAsync(older, default); // already gone: nothing
        Assert.Null(await sweeps.GetSweepAsync(older, default));
        Assert.Empty(await sweeps.SweepQualityAsync(older, default));
        Assert.NotNull(await sweeps.GetSweepAsync(newer, default));
    }
}
