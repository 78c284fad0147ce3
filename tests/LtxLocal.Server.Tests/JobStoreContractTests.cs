using System.Data.Common;
using LtxLocal.Server.Jobs;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LtxLocal.Server.Tests;

/// <summary>
/// What every <see cref="IJobStore"/> must guarantee, run against SQLite and against PostgreSQL (the multi-node store).
/// PostgreSQL runs when $LTX_TEST_POSTGRES holds a connection string; `make test` starts a throwaway server for it.
/// </summary>
public sealed partial class JobStoreContractTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly LeaseTerms LeaseA = new("node-a#1", Now, Now.AddMinutes(1));
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-store-").FullName;

    public static TheoryData<string> Stores()
    {
        // PostgreSQL rows are always listed and skip, saying why, when no server is configured.
        return new TheoryData<string> { "sqlite", "postgres" };
    }

    private static string? Postgres => Environment.GetEnvironmentVariable("LTX_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>A new, empty database, a way to open any number of nodes (stores) on it, and a raw connection to it.</summary>
    private (Func<IJobStore> Node, Func<DbConnection> Open) NewDatabase(string kind)
    {
        if (kind == "sqlite")
        {
            var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.db");
            return (() => new SqliteJobStore(path), () => new SqliteConnection($"Data Source={path}"));
        }
        Skip.If(Postgres is null, "LTX_TEST_POSTGRES is not set: no PostgreSQL server to run the contract against (`make test` starts one)");
        var database = $"ltx_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(Postgres))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            command.ExecuteNonQuery();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;
        return (() => new PostgresJobStore(connectionString), () => new NpgsqlConnection(connectionString));
    }

    private static JobRecord Job(int i) => new()
    {
        Id = $"job-{i:D4}", Status = JobStatus.Queued, Model = "m", SpecJson = "{}", CreatedAt = Now.AddSeconds(i),
    };

    private static JobEnd Ended(string status) => new(status, Now, Now.AddDays(1));

    private async Task<(IJobStore Store, Func<IJobStore> Node)> Initialized(string kind)
    {
        var node = NewDatabase(kind).Node;
        var store = node();
        await store.InitializeAsync(CancellationToken.None);
        return (store, node);
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Dequeue_is_first_in_first_out_and_counts_an_attempt(string kind)
    {
        var (store, _) = await Initialized(kind);
        Assert.True(await store.TryEnqueueAsync([Job(1), Job(2)], 10, default));
        Assert.True(await store.TryEnqueueAsync([Job(3)], 10, default));
        var first = await store.DequeueAsync("node-a/0", LeaseA, default);
        Assert.Equal(("job-0001", JobStatus.Processing, 1, "node-a/0"), (first!.Id, first.Status, first.Attempts, first.Worker));
        Assert.Equal("job-0002", (await store.DequeueAsync("node-a/0", LeaseA, default))!.Id);
        Assert.Equal(1, await store.QueuePositionAsync((await store.GetAsync("job-0003", default))!.Seq, default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Enqueue_beyond_the_limit_inserts_nothing(string kind)
    {
        var (store, _) = await Initialized(kind);
        Assert.True(await store.TryEnqueueAsync([Job(1), Job(2)], 3, default));
        Assert.False(await store.TryEnqueueAsync([Job(3), Job(4)], 3, default));
        Assert.Null(await store.GetAsync("job-0003", default));
        Assert.Equal(new QueueCounts(2, 0), await store.CountAsync(default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Concurrent_submissions_from_several_nodes_never_exceed_the_limit(string kind)
    {
        var (store, node) = await Initialized(kind);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => node().TryEnqueueAsync([Job(i)], 5, default))));
        Assert.Equal(5, results.Count(accepted => accepted));
        Assert.Equal(5, (await store.CountAsync(default)).Queued);
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Nodes_dequeuing_at_once_never_take_the_same_job(string kind)
    {
        var (store, node) = await Initialized(kind);
        for (int i = 0; i < 40; i += 10) Assert.True(await store.TryEnqueueAsync(Enumerable.Range(i, 10).Select(Job).ToList(), 100, default));
        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var mine = new List<string>();
            var me = node();
            while (await me.DequeueAsync($"node-{n}/0", new LeaseTerms($"node-{n}#1", Now, Now.AddMinutes(1)), default) is { } job) mine.Add(job.Id);
            return mine;
        })));
        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_cancel_is_never_overwritten_by_a_late_finish(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1)], 10, default);
        await store.DequeueAsync("node-a/0", LeaseA, default);
        Assert.True(await store.CancelAsync("job-0001", Ended(JobStatus.Cancelled), default));
        Assert.False(await store.FinishAsync("job-0001", LeaseA.Owner, Ended(JobStatus.Completed), default));
        Assert.False(await store.UpdateProgressAsync("job-0001", LeaseA.Owner, "{}", Now, default));
        Assert.Equal(JobStatus.Cancelled, (await store.GetAsync("job-0001", default))!.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Crash_recovery_requeues_once_then_fails(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1)], 10, default);
        var failure = new JobEnd(JobStatus.Failed, Now, Now.AddDays(1), ErrorType: "interrupted", ErrorMessage: "the server stopped twice");
        await store.DequeueAsync("node-a/0", LeaseA, default);
        Assert.Equal((1, 0), await store.RecoverInterruptedAsync("node-a", 2, failure, default));
        await store.DequeueAsync("node-a/0", LeaseA, default);
        Assert.Equal((0, 1), await store.RecoverInterruptedAsync("node-a", 2, failure, default));
        var job = await store.GetAsync("job-0001", default);
        Assert.Equal((JobStatus.Failed, "interrupted"), (job!.Status, job.ErrorType));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Expired_jobs_are_listed_and_deleted(string kind)
    {
        var (store, _) = await Initialized(kind);
        await store.TryEnqueueAsync([Job(1)], 10, default);
        await store.DequeueAsync("node-a/0", LeaseA, default);
        await store.FinishAsync("job-0001", LeaseA.Owner, new JobEnd(JobStatus.Completed, Now, Now.AddHours(1)), default);
        Assert.Empty(await store.ListExpiredAsync(Now.AddMinutes(59), default));
        Assert.Single(await store.ListExpiredAsync(Now.AddMinutes(61), default));
        await store.DeleteAsync("job-0001", default);
        Assert.Null(await store.GetAsync("job-0001", default));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
