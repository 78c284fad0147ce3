namespace LtxLocal.Server.Tests.Cluster;

/// <summary>A test that needs a PostgreSQL server: skipped, saying so, when $LTX_TEST_POSTGRES is unset (`make test` sets it).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("LTX_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public PostgresFactAttribute()
    {
        if (ConnectionString is null)
            Skip = "needs PostgreSQL: set LTX_TEST_POSTGRES to a connection string (scripts/test-postgres.sh start prints one; make test does it)";
    }
}
