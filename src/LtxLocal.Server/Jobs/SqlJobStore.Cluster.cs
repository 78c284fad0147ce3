using System.Data.Common;
using System.Globalization;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// The store's side of running several nodes on one queue: job leases (renewed by the running node,
/// taken back by any node's rescuer once expired) and the nodes table (heartbeats, for /ready and /metrics).
/// </summary>
public abstract partial class SqlJobStore
{
    public async Task<IReadOnlySet<string>> RenewLeasesAsync(LeaseTerms lease, IReadOnlyCollection<string> ids, CancellationToken token)
    {
        var held = new HashSet<string>();
        if (ids.Count == 0) return held;
        var names = ids.Select((_, i) => $"@i{i}").ToList();
        (string, object?)[] parameters = [("owner", lease.Owner), ("until", Iso(lease.Until)), ("now", Iso(lease.Now)), .. ids.Select((id, i) => ($"i{i}", (object?)id))];
        await using var c = await OpenAsync(token);
        await using var command = Command(c,
            $"UPDATE jobs SET lease_expires_at = @until, heartbeat_at = @now WHERE {Held} AND id IN ({string.Join(", ", names)}) RETURNING id",
            null, parameters);
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token)) held.Add(reader.GetString(0));
        return held;
    }

    public async Task<IReadOnlyList<RescuedJob>> RescueExpiredAsync(DateTimeOffset now, int maxAttempts, JobEnd failure, CancellationToken token)
    {
        const string expired = "status = 'processing' AND lease_expires_at IS NOT NULL AND lease_expires_at < @now";
        await using var c = await OpenAsync(token);
        var failed = await ReadRescuedAsync(c,
            "UPDATE jobs SET status = 'failed', completed_at = @at, expires_at = @expires, error_type = @etype, " +
            "error_message = @before || COALESCE(worker, lease_owner, 'unknown') || @after, lease_expires_at = NULL " +
            $"WHERE {expired} AND attempts >= @max RETURNING id, worker", true, token,
            ("now", Iso(now)), ("max", maxAttempts), ("at", Iso(failure.At)), ("expires", Iso(failure.ExpiresAt)), ("etype", failure.ErrorType),
            ("before", "the node running this job ("), ("after", $") stopped renewing its lease; it was started {maxAttempts} times and is not retried again"));
        var requeued = await ReadRescuedAsync(c,
            "UPDATE jobs SET status = 'queued', started_at = NULL, progress_json = NULL, lease_owner = NULL, lease_expires_at = NULL " +
            $"WHERE {expired} RETURNING id, worker", false, token, ("now", Iso(now)));
        return [.. failed, .. requeued];
    }

    public async Task HeartbeatAsync(ClusterNodeRecord node, DateTimeOffset now, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c,
            "INSERT INTO nodes (id, name, started_at, heartbeat_at, marker) VALUES (@id, @name, @started, @now, @marker) " +
            "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", token, null,
            ("id", node.Id), ("name", node.Name), ("started", Iso(node.StartedAt)), ("now", Iso(now)), ("marker", node.Marker));
    }

    public async Task<IReadOnlyList<ClusterNodeRecord>> ListNodesAsync(DateTimeOffset liveSince, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c,
            "SELECT n.id, n.name, n.started_at, n.heartbeat_at, n.marker, " +
            "(SELECT COUNT(*) FROM jobs j WHERE j.status = 'processing' AND j.lease_owner = n.id) AS running " +
            "FROM nodes n WHERE n.heartbeat_at >= @since ORDER BY n.name, n.id", null, [("since", Iso(liveSince))]);
        await using var r = await command.ExecuteReaderAsync(token);
        var nodes = new List<ClusterNodeRecord>();
        while (await r.ReadAsync(token))
        {
            nodes.Add(new ClusterNodeRecord(r.GetString(0), r.GetString(1), ParseIso(r.GetString(2)), ParseIso(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetString(4), Convert.ToInt32(r.GetValue(5), CultureInfo.InvariantCulture)));
        }
        return nodes;
    }

    public async Task ForgetNodesAsync(IReadOnlyCollection<string> ids, DateTimeOffset silentSince, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        var names = ids.Select((_, i) => $"@i{i}").ToList();
        var listed = ids.Count == 0 ? "" : $" OR id IN ({string.Join(", ", names)})";
        await ExecuteAsync(c, $"DELETE FROM nodes WHERE heartbeat_at < @since{listed}", token, null,
            [("since", Iso(silentSince)), .. ids.Select((id, i) => ($"i{i}", (object?)id))]);
    }

    private static async Task<List<RescuedJob>> ReadRescuedAsync(
        DbConnection c, string sql, bool failed, CancellationToken token, params (string, object?)[] parameters)
    {
        await using var command = Command(c, sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(token);
        var rows = new List<RescuedJob>();
        while (await reader.ReadAsync(token)) rows.Add(new RescuedJob(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), failed));
        return rows;
    }

    private static DateTimeOffset ParseIso(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
