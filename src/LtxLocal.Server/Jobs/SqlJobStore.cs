using System.Data.Common;
using System.Globalization;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// <see cref="IJobStore"/> in plain SQL that SQLite and PostgreSQL both speak (UPDATE ... RETURNING,
/// text timestamps in ISO 8601 UTC, which sort as text). The dialects add the connection, the
/// schema and their locking: SQLite serialises writers itself; PostgreSQL dequeues with
/// FOR UPDATE SKIP LOCKED so several nodes share one queue.
/// </summary>
public abstract partial class SqlJobStore : IJobStore
{
    private const string Columns =
        "seq, id, status, model, spec_json, adjustments_json, progress_json, result_json, error_type, error_message, " +
        "attempts, worker, output_path, created_at, started_at, completed_at, expires_at, lease_owner, lease_expires_at";

    protected abstract DbConnection CreateConnection();
    /// <summary>The auto-numbered column that orders the queue (FIFO).</summary>
    protected abstract string SeqColumn { get; }
    /// <summary>Appended to the dequeue's inner SELECT.</summary>
    protected abstract string DequeueLock { get; }
    /// <summary>Run first in the enqueue transaction so two submissions cannot both see room for one job.</summary>
    protected abstract string? CapacityLock { get; }
    /// <summary>True when other nodes run jobs from the same table (recovery then touches only ours or stale ones).</summary>
    protected abstract bool Shared { get; }
    /// <summary>Run first in the migration transaction so nodes starting together apply the schema one after the other.</summary>
    protected abstract string? MigrationLock { get; }
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken token) => Task.CompletedTask;

    public async Task InitializeAsync(CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await PrepareAsync(c, token);
        await using var tx = await c.BeginTransactionAsync(token);
        if (MigrationLock is not null) await ExecuteAsync(c, MigrationLock, token, tx);
        await ExecuteAsync(c, SchemaMigrations.VersionTable, token, tx);
        var current = Convert.ToInt32(await ScalarAsync(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version", token, tx));
        foreach (var (version, sql) in SchemaMigrations.All(SeqColumn).Where(m => m.Version > current))
        {
            await ExecuteAsync(c, sql, token, tx);
            await ExecuteAsync(c, "INSERT INTO schema_version (version, applied_at) VALUES (@v, @at)", token, tx,
                ("v", version), ("at", Iso(DateTimeOffset.UtcNow)));
        }
        await tx.CommitAsync(token);
    }

    public async Task<bool> TryEnqueueAsync(IReadOnlyList<JobRecord> jobs, int maxQueued, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var tx = await c.BeginTransactionAsync(token);
        if (CapacityLock is not null) await ExecuteAsync(c, CapacityLock, token, tx);
        var queued = Convert.ToInt32(await ScalarAsync(c, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'", token, tx));
        if (queued + jobs.Count > maxQueued) return false;
        foreach (var job in jobs)
        {
            await ExecuteAsync(c,
                "INSERT INTO jobs (id, status, model, spec_json, adjustments_json, attempts, created_at) " +
                "VALUES (@id, 'queued', @model, @spec, @adjustments, 0, @created)", token, tx,
                ("id", job.Id), ("model", job.Model), ("spec", job.SpecJson), ("adjustments", job.AdjustmentsJson), ("created", Iso(job.CreatedAt)));
        }
        await tx.CommitAsync(token);
        return true;
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken token) =>
        (await QueryAsync($"SELECT {Columns} FROM jobs WHERE id = @id", token, ("id", id))).FirstOrDefault();

    public async Task<int> QueuePositionAsync(long seq, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        return 1 + Convert.ToInt32(await ScalarAsync(c, "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND seq < @seq", token, null, ("seq", seq)));
    }

    public async Task<QueueCounts> CountAsync(CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        var queued = await ScalarAsync(c, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'", token);
        var processing = await ScalarAsync(c, "SELECT COUNT(*) FROM jobs WHERE status = 'processing'", token);
        return new QueueCounts(Convert.ToInt32(queued), Convert.ToInt32(processing));
    }

    public async Task<JobRecord?> DequeueAsync(string worker, LeaseTerms lease, CancellationToken token) =>
        (await QueryAsync(
            "UPDATE jobs SET status = 'processing', attempts = attempts + 1, worker = @worker, started_at = @now, heartbeat_at = @now, progress_json = NULL, " +
            "lease_owner = @owner, lease_expires_at = @until " +
            $"WHERE seq = (SELECT seq FROM jobs WHERE status = 'queued' ORDER BY seq LIMIT 1 {DequeueLock}) AND status = 'queued' " +
            $"RETURNING {Columns}", token, ("worker", worker), ("now", Iso(lease.Now)), ("owner", lease.Owner), ("until", Iso(lease.Until)))).FirstOrDefault();

    public Task<bool> UpdateProgressAsync(string id, string owner, string progressJson, DateTimeOffset now, CancellationToken token) =>
        ChangedAsync($"UPDATE jobs SET progress_json = @progress, heartbeat_at = @now WHERE id = @id AND {Held}",
            token, ("id", id), ("owner", owner), ("progress", progressJson), ("now", Iso(now)));

    public Task<bool> FinishAsync(string id, string owner, JobEnd end, CancellationToken token) =>
        EndAsync(id, end, Held, token, ("owner", owner));

    public Task<bool> CancelAsync(string id, JobEnd end, CancellationToken token) =>
        EndAsync(id, end, "status IN ('queued', 'processing')", token);

    private Task<bool> EndAsync(string id, JobEnd end, string condition, CancellationToken token, params (string, object?)[] more) =>
        ChangedAsync(
            "UPDATE jobs SET status = @status, completed_at = @at, expires_at = @expires, result_json = @result, output_path = @output, " +
            $"error_type = @etype, error_message = @emessage, lease_expires_at = NULL WHERE id = @id AND {condition}", token,
            [("id", id), ("status", end.Status), ("at", Iso(end.At)), ("expires", Iso(end.ExpiresAt)), ("result", end.ResultJson),
            ("output", end.OutputPath), ("etype", end.ErrorType), ("emessage", end.ErrorMessage), .. more]);

    public Task<bool> RequeueAsync(string id, string owner, CancellationToken token) =>
        ChangedAsync(
            "UPDATE jobs SET status = 'queued', attempts = attempts - 1, worker = NULL, started_at = NULL, progress_json = NULL, " +
            $"lease_owner = NULL, lease_expires_at = NULL WHERE id = @id AND {Held}", token, ("id", id), ("owner", owner));

    /// <summary>The job is still running under the caller's lease (not cancelled, not rescued and taken by another node).</summary>
    private const string Held = "status = 'processing' AND lease_owner = @owner";

    public async Task<(int Requeued, int Failed)> RecoverInterruptedAsync(string node, int maxAttempts, JobEnd failure, CancellationToken token)
    {
        const string scope = "status = 'processing' AND (@shared = 0 OR worker LIKE @node OR heartbeat_at < @stale)";
        (string, object?)[] common = [("shared", Shared ? 1 : 0), ("node", node + "/%"), ("stale", Iso(failure.At.AddMinutes(-5)))];
        await using var c = await OpenAsync(token);
        var failed = await ExecuteAsync(c,
            "UPDATE jobs SET status = 'failed', completed_at = @at, expires_at = @expires, error_type = @etype, error_message = @emessage " +
            $"WHERE {scope} AND attempts >= @max", token, null,
            [.. common, ("max", maxAttempts), ("at", Iso(failure.At)), ("expires", Iso(failure.ExpiresAt)), ("etype", failure.ErrorType), ("emessage", failure.ErrorMessage)]);
        var requeued = await ExecuteAsync(c,
            "UPDATE jobs SET status = 'queued', worker = NULL, started_at = NULL, progress_json = NULL, lease_owner = NULL, lease_expires_at = NULL " +
            $"WHERE {scope}", token, null, common);
        return (requeued, failed);
    }

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobListQuery query, CancellationToken token)
    {
        var parameters = new List<(string, object?)> { ("now", Iso(query.Now)), ("limit", query.Limit) };
        var where = new List<string> { "(expires_at IS NULL OR expires_at > @now)" };
        if (query.Statuses.Count > 0)
        {
            var names = query.Statuses.Select((status, i) => (Name: $"s{i}", status)).ToList();
            where.Add($"status IN ({string.Join(", ", names.Select(n => "@" + n.Name))})");
            parameters.AddRange(names.Select(n => (n.Name, (object?)n.status)));
        }
        if (query.After is { } after)
        {
            // Row-value comparison (SQLite 3.15+, PostgreSQL): strictly older than the last row of the previous page.
            where.Add("(created_at, id) < (@after_created, @after_id)");
            parameters.Add(("after_created", Iso(after.CreatedAt)));
            parameters.Add(("after_id", after.Id));
        }
        return QueryAsync($"SELECT {Columns} FROM jobs WHERE {string.Join(" AND ", where)} ORDER BY created_at DESC, id DESC LIMIT @limit",
            token, [.. parameters]);
    }

    public Task<IReadOnlyList<JobRecord>> ListExpiredAsync(DateTimeOffset now, CancellationToken token) =>
        QueryAsync($"SELECT {Columns} FROM jobs WHERE expires_at IS NOT NULL AND expires_at < @now", token, ("now", Iso(now)));

    public async Task DeleteAsync(string id, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c, "DELETE FROM jobs WHERE id = @id", token, null, ("id", id));
    }

    private async Task<DbConnection> OpenAsync(CancellationToken token)
    {
        var connection = CreateConnection();
        await connection.OpenAsync(token);
        return connection;
    }

    private async Task<bool> ChangedAsync(string sql, CancellationToken token, params (string, object?)[] parameters)
    {
        await using var c = await OpenAsync(token);
        return await ExecuteAsync(c, sql, token, null, parameters) > 0;
    }

    private async Task<IReadOnlyList<JobRecord>> QueryAsync(string sql, CancellationToken token, params (string, object?)[] parameters)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c, sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(token);
        var rows = new List<JobRecord>();
        while (await reader.ReadAsync(token)) rows.Add(Read(reader));
        return rows;
    }

    private static async Task<int> ExecuteAsync(DbConnection c, string sql, CancellationToken token, DbTransaction? tx = null, params (string, object?)[] parameters)
    {
        await using var command = Command(c, sql, tx, parameters);
        return await command.ExecuteNonQueryAsync(token);
    }

    private static async Task<object?> ScalarAsync(DbConnection c, string sql, CancellationToken token, DbTransaction? tx = null, params (string, object?)[] parameters)
    {
        await using var command = Command(c, sql, tx, parameters);
        return await command.ExecuteScalarAsync(token);
    }

    private static DbCommand Command(DbConnection c, string sql, DbTransaction? tx, (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static JobRecord Read(DbDataReader r)
    {
        string? S(string name) => r[name] is DBNull ? null : Convert.ToString(r[name], CultureInfo.InvariantCulture);
        DateTimeOffset? T(string name) => S(name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
        return new JobRecord
        {
            Seq = Convert.ToInt64(r["seq"]), Id = S("id")!, Status = S("status")!, Model = S("model")!, SpecJson = S("spec_json")!,
            AdjustmentsJson = S("adjustments_json"), ProgressJson = S("progress_json"), ResultJson = S("result_json"),
            ErrorType = S("error_type"), ErrorMessage = S("error_message"), Attempts = Convert.ToInt32(r["attempts"]),
            Worker = S("worker"), OutputPath = S("output_path"), CreatedAt = T("created_at")!.Value,
            StartedAt = T("started_at"), CompletedAt = T("completed_at"), ExpiresAt = T("expires_at"),
            LeaseOwner = S("lease_owner"), LeaseExpiresAt = T("lease_expires_at"),
        };
    }

    /// <summary>Fixed-width UTC text, so comparing timestamps as text compares them as times.</summary>
    protected static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
