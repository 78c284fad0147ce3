namespace LtxLocal.Server.Jobs;

/// <summary>
/// The job database's schema as ordered migrations. Version 1 is the schema that earlier releases
/// created with IF NOT EXISTS, so their databases upgrade in place; later changes are appended,
/// never edited. <see cref="SqlJobStore"/> applies the missing ones in one transaction, under a lock
/// (PostgreSQL: an advisory lock) so nodes starting together neither race nor apply one twice.
/// </summary>
public static class SchemaMigrations
{
    /// <param name="seqColumn">the dialect's auto-numbered primary key</param>
    public static IReadOnlyList<(int Version, string Sql)> All(string seqColumn) =>
    [
        (1, $"""
            CREATE TABLE IF NOT EXISTS jobs (
                {seqColumn},
                id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                model TEXT NOT NULL,
                spec_json TEXT NOT NULL,
                adjustments_json TEXT, progress_json TEXT, result_json TEXT,
                error_type TEXT, error_message TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                worker TEXT, output_path TEXT,
                created_at TEXT NOT NULL, started_at TEXT, completed_at TEXT, expires_at TEXT, heartbeat_at TEXT);
            CREATE INDEX IF NOT EXISTS jobs_status_seq ON jobs (status, seq);
            CREATE INDEX IF NOT EXISTS jobs_expires ON jobs (expires_at);
            """),
        // Leases: the node holding a running job and until when; the nodes that share the queue.
        (2, """
            ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
            ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;
            CREATE INDEX jobs_status_lease ON jobs (status, lease_expires_at);
            CREATE TABLE nodes (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                started_at TEXT NOT NULL,
                heartbeat_at TEXT NOT NULL,
                marker TEXT);
            """),
        // Job outcome counters per node name (so /metrics counters survive restarts and expiry), and the webhook outbox:
        // deliveries wait here until sent or given up, claimed by one node at a time, so a restart resumes them.
        (3, """
            CREATE TABLE job_outcomes (
                node TEXT NOT NULL,
                outcome TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (node, outcome));
            CREATE TABLE webhook_outbox (
                id TEXT PRIMARY KEY,
                job_id TEXT NOT NULL,
                url TEXT NOT NULL,
                body TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                claimed_by TEXT,
                claimed_until TEXT,
                created_at TEXT NOT NULL);
            CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at);
            """),
        // GET /v1/jobs: newest first by (created_at, id), with or without a status filter, read as an index range.
        (4, """
            CREATE INDEX jobs_created_id ON jobs (created_at, id);
            CREATE INDEX jobs_status_created_id ON jobs (status, created_at, id);
            """),
        // Sweeps: the grid and its cells' job ids (spec_json), and each cell's quality against the reference cell once
        // both were measured (ffmpeg runs once per pair, whichever node answers the GET).
        (5, """
            CREATE TABLE sweeps (
                id TEXT PRIMARY KEY,
                spec_json TEXT NOT NULL,
                created_at TEXT NOT NULL,
                cancelled_at TEXT);
            CREATE TABLE sweep_quality (
                sweep_id TEXT NOT NULL,
                cell INTEGER NOT NULL,
                quality_json TEXT NOT NULL,
                PRIMARY KEY (sweep_id, cell));
            """),
    ];

    public const string VersionTable = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
}
