namespace LtxLocal.Server.Tests.Cluster;

/// <summary>The long cluster measurement: runs only when asked (LTX_CLUSTER_SOAK=1, as scripts/cluster-soak.sh sets) and PostgreSQL is given.</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (PostgresFactAttribute.ConnectionString is null)
            Skip = "needs PostgreSQL: set LTX_TEST_POSTGRES (scripts/cluster-soak.sh starts one)";
        else if (Environment.GetEnvironmentVariable("LTX_CLUSTER_SOAK") != "1")
            Skip = "a measurement of a few minutes: run scripts/cluster-soak.sh (or set LTX_CLUSTER_SOAK=1)";
    }
}
