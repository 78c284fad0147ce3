using System.Data.Common;
using Npgsql;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A queue several nodes share (Ltx:Store=postgres, Ltx:PostgresConnection). Workers dequeue with
/// FOR UPDATE SKIP LOCKED; an advisory lock makes the queue-capacity check exact across nodes.
/// </summary>
public sealed class PostgresJobStore(string connectionString) : SqlJobStore, IDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    protected override DbConnection CreateConnection() => _source.CreateConnection();

    protected override string DequeueLock => "FOR UPDATE SKIP LOCKED";
    protected override string? CapacityLock => "SELECT pg_advisory_xact_lock(7415001)";
    protected override bool Shared => true;

    protected override string SeqColumn => "seq BIGSERIAL PRIMARY KEY";

    public void Dispose() => _source.Dispose();
}
