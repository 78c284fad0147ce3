using System.Data.Common;
using LtxLocal.Server.Jobs;

namespace LtxLocal.Server.Tests;

/// <summary>
/// The multi-node half of the store contract, on SQLite and PostgreSQL: schema migrations that many nodes can run
/// at once and that upgrade a database made by the old IF NOT EXISTS schema; leases, the rescuer, and the nodes table.
/// </summary>
public sealed partial class JobStoreContractTests
{
    private static readonly LeaseTerms LeaseB = new("node-b#2", Now, Now.AddMinutes(1));

    private static JobEnd Interrupted => new(JobStatus.Failed, Now, Now.AddDays(1), ErrorType: "interrupted");

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Many_nodes_initializing_at_once_all_succeed_and_apply_each_migration_once(string kind)
    {
        var (node, open) = NewDatabase(kind);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => node().InitializeAsync(default))));
        Assert.Equal(SchemaMigrations.All("seq INTEGER").Select(m => (long)m.Version), await VersionsAsync(open));
        Assert.True(await node().TryEnqueueAsync([Job(1)], 10, default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_database_from_the_old_schema_upgrades_in_place(string kind)
    {
        var (node, open) = NewDatabase(kind);
        var seq = kind == "sqlite" ? "seq INTEGER PRIMARY KEY AUTOINCREMENT" : "seq BIGSERIAL PRIMARY KEY";
        await using (var c = open())
        {
            // What earlier releases ran at every start: no version table, a job already queued.
            await c.OpenAsync();
            await using var command = c.CreateCommand();
            command.CommandText = SchemaMigrations.All(seq)[0].Sql +
                "INSERT INTO jobs (id, status, model, spec_json, attempts, created_at) VALUES ('job-0001', 'queued', 'm', '{}', 0, '2026-11-21T12:00:00.0000000Z');";
            await command.ExecuteNonQueryAsync();
        }
        var store = node();
        await store.InitializeAsync(default);
        await store.InitializeAsync(default); // a second start finds nothing to do
        var job = await store.DequeueAsync("node-a/0", LeaseA, default);
        Assert.Equal(("job-0001", LeaseA.Owner, LeaseA.Until), (job!.Id, job.LeaseOwner, job.LeaseExpiresAt));
        Assert.Equal(SchemaMigrations.All(seq).Select(m => (long)m.Version), await VersionsAsync(open));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task An_expired_lease_is_requeued_then_failed_naming_the_lost_worker(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1)], 10, default);
        await store.DequeueAsync("node-a/cuda:0", LeaseA, default);
        Assert.Empty(await store.RescueExpiredAsync(LeaseA.Until.AddSeconds(-1), 2, Interrupted, default));

        Assert.Equal([new RescuedJob("job-0001", "node-a/cuda:0", false)], await store.RescueExpiredAsync(LeaseA.Until.AddSeconds(1), 2, Interrupted, default));
        var again = await store.DequeueAsync("node-b/cuda:0", LeaseB, default);
        Assert.Equal(("job-0001", 2), (again!.Id, again.Attempts));

        var rescued = await store.RescueExpiredAsync(LeaseB.Until.AddSeconds(1), 2, Interrupted, default);
        Assert.Equal([new RescuedJob("job-0001", "node-b/cuda:0", true)], rescued);
        var job = await store.GetAsync("job-0001", default);
        Assert.Equal((JobStatus.Failed, "interrupted"), (job!.Status, job.ErrorType));
        Assert.Contains("node-b/cuda:0", job.ErrorMessage);
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Renewing_keeps_a_lease_from_the_rescuer(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1), Job(2)], 10, default);
        await store.DequeueAsync("node-a/0", LeaseA, default);
        var later = new LeaseTerms(LeaseA.Owner, LeaseA.Until.AddSeconds(-5), LeaseA.Until.AddMinutes(1));
        Assert.Equal(["job-0001"], await store.RenewLeasesAsync(later, ["job-0001", "job-0002"], default)); // job 2 is not ours
        Assert.Empty(await store.RescueExpiredAsync(LeaseA.Until.AddSeconds(1), 2, Interrupted, default));
        Assert.Empty(await store.RenewLeasesAsync(LeaseB with { Until = later.Until }, ["job-0001"], default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_node_whose_lease_was_taken_can_no_longer_write_the_job(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1)], 10, default);
        await store.DequeueAsync("node-a/0", LeaseA, default);
        await store.RescueExpiredAsync(LeaseA.Until.AddSeconds(1), 3, Interrupted, default);
        await store.DequeueAsync("node-b/0", LeaseB, default);

        Assert.False(await store.UpdateProgressAsync("job-0001", LeaseA.Owner, "{}", Now, default));
        Assert.False(await store.FinishAsync("job-0001", LeaseA.Owner, Ended(JobStatus.Completed), default));
        Assert.False(await store.RequeueAsync("job-0001", LeaseA.Owner, default));
        Assert.Empty(await store.RenewLeasesAsync(LeaseA, ["job-0001"], default));
        Assert.True(await store.UpdateProgressAsync("job-0001", LeaseB.Owner, "{}", Now, default));
        Assert.True(await store.FinishAsync("job-0001", LeaseB.Owner, Ended(JobStatus.Completed), default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Live_nodes_are_listed_with_their_running_jobs(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.HeartbeatAsync(new ClusterNodeRecord(LeaseA.Owner, "node-a", Now, Now, "m1", 0), Now, default);
        await store.HeartbeatAsync(new ClusterNodeRecord(LeaseB.Owner, "node-b", Now, Now, "m2", 0), Now.AddSeconds(-90), default);
        await store.HeartbeatAsync(new ClusterNodeRecord(LeaseA.Owner, "node-a", Now, Now, "m1", 0), Now.AddSeconds(5), default);
        await store.TryEnqueueAsync([Job(1), Job(2)], 10, default);
        await store.DequeueAsync("node-a/0", LeaseA, default);

        var live = await store.ListNodesAsync(Now.AddSeconds(-60), default);
        Assert.Equal([new ClusterNodeRecord(LeaseA.Owner, "node-a", Now, Now.AddSeconds(5), "m1", 1)], live);
        Assert.Equal(2, (await store.ListNodesAsync(Now.AddHours(-1), default)).Count);
        await store.ForgetNodesAsync([LeaseA.Owner], Now.AddSeconds(-60), default);
        Assert.Empty(await store.ListNodesAsync(Now.AddHours(-1), default));
    }

    private static async Task<List<long>> VersionsAsync(Func<DbConnection> open)
    {
        await using var c = open();
        await c.OpenAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<long>();
        while (await reader.ReadAsync()) versions.Add(Convert.ToInt64(reader.GetValue(0)));
        return versions;
    }
}
