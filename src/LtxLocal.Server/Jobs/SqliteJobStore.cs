using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace LtxLocal.Server.Jobs;

/// <summary>The default store: one SQLite file in the data directory, WAL mode, a single node.</summary>
public sealed class SqliteJobStore(string path) : SqlJobStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Cache = SqliteCacheMode.Private, DefaultTimeout = 30, Pooling = true,
    }.ToString();

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override string DequeueLock => "";
    protected override string? CapacityLock => null; // BeginTransaction is BEGIN IMMEDIATE: writers already queue up
    protected override string? MigrationLock => null; // BeginTransaction is BEGIN IMMEDIATE: one writer at a time
    protected override bool Shared => false;

    protected override async Task PrepareAsync(DbConnection connection, CancellationToken token)
    {
        await using var command = connection.CreateCommand();
        // WAL lets status reads proceed while a worker writes; synchronous=NORMAL is durable across process crashes in WAL mode.
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(token);
    }

    protected override string SeqColumn => "seq INTEGER PRIMARY KEY AUTOINCREMENT";
}
