using System.Data.Common;
using Npgsql;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A queue several nodes share (Ltx:Store=postgres, Ltx:PostgresConnection). Workers dequeue with
/// FOR UPDATE SKIP LOCKED; advisory locks make the queue-capacity check exact across nodes and let
/// nodes that start together apply the schema migrations one after the other.
/// </summary>
public sealed class PostgresJobStore(string connectionString) : SqlJobStore, IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    protected override DbConnection CreateConnection() => _source.CreateConnection();

    protected override string DequeueLock => "FOR UPDATE SKIP LOCKED";
    protected override string? CapacityLock => "SELECT pg_advisory_xact_lock(7415001)";
    protected override string? MigrationLock => "SELECT pg_advisory_xact_lock(7415002)";
    protected override bool Shared => true;

    protected override string SeqColumn => "seq BIGSERIAL PRIMARY KEY";

    public void Dispose() => _source.Dispose();
}
