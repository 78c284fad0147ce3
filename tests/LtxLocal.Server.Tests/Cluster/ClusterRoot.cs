using System.Text.Json.Nodes;
using Npgsql;

namespace LtxLocal.Server.Tests.Cluster;

/// <summary>
/// What the two-process tests share: a temp root with the tiny model (made once, by `ltx-local models create-tiny`),
/// a fresh PostgreSQL database per cluster, and the node processes started on it, all killed on Dispose.
/// </summary>
public sealed class ClusterRoot : IDisposable
{
    private readonly Lazy<string> _models;
    private readonly List<ServerProcess> _nodes = [];

    public ClusterRoot()
    {
        Root = Directory.CreateTempSubdirectory("ltx-cluster-").FullName;
        _models = new(() =>
        {
            var dir = Path.Combine(Root, "models");
            ServerProcess.RunCli("models", "create-tiny", "--out", Path.Combine(dir, "tiny"));
            return dir;
        });
    }

    public string Root { get; }

    /// <summary>A text-to-video request for the tiny model; <paramref name="steps"/> (at most 100) and the size set how long it runs.</summary>
    public static JsonObject Request(int steps, long seed = 7, int size = 64) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 4, ["fps"] = 24, ["resolution"] = $"{size}x{size}",
        ["pipeline"] = "one-stage", ["steps"] = steps, ["generate_audio"] = false, ["seed"] = seed,
    };

    /// <summary>A new, empty database on the test server; its connection string.</summary>
    public static string NewDatabase()
    {
        var database = $"ltx_cluster_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(PostgresFactAttribute.ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(PostgresFactAttribute.ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Starts a node on <paramref name="postgres"/> with <paramref name="dataDir"/> (default: the shared one).</summary>
    public ServerProcess Start(string name, string postgres, string? dataDir = null)
    {
        var models = _models.Value;
        var node = ServerProcess.StartNode(name, postgres, dataDir ?? Path.Combine(Root, "data"), models);
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    /// <summary>Stops (kills) the given nodes now rather than at Dispose.</summary>
    public static void Stop(params ServerProcess[] nodes)
    {
        foreach (var node in nodes) node.Dispose();
    }

    /// <summary>Polls <paramref name="node"/> until the job's status satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonObject> WaitForAsync(ServerProcess node, string id, Func<JsonObject, bool> done, double seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await node.StatusAsync(id);
            if (done(job)) return job;
            if ((string?)job["status"] is "failed") throw new Xunit.Sdk.XunitException($"job {id} failed: {job.ToJsonString()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} on {node.Name}: {job.ToJsonString()}\n{node.Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>Which of <paramref name="nodes"/> is generating a job now (its own gauge), waiting up to <paramref name="seconds"/>.</summary>
    public static async Task<ServerProcess> RunningNodeAsync(IReadOnlyList<ServerProcess> nodes, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var node in nodes.Where(n => !n.Exited))
                if (await node.MetricAsync("ltx_jobs_running_here") > 0) return node;
            await Task.Delay(100);
        }
        throw new TimeoutException("no node started the job");
    }

    public void Dispose()
    {
        lock (_nodes) foreach (var node in _nodes) node.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a killed process's file handle can outlive it by a moment; the temp folder is cleaned by the OS later
        }
    }
}
