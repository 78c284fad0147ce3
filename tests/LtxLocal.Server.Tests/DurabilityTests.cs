using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>Restarts lose no accepted job: queued jobs stay queued; a crash re-queues a running job once, then fails it.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-durability-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Jobs_accepted_before_a_stop_run_on_the_next_host()
    {
        string running, queued;
        var held = new FakeGeneratorFactory();
        held.Hold();
        await using (var first = new TestHost(root: _root, generator: held))
        {
            running = (string)(await first.SubmitAsync())["id"]!;
            await held.WaitForStartAsync();
            queued = (string)(await first.SubmitAsync())["id"]!;
        } // graceful stop: the running job goes back to the queue, ahead of the other

        await using var second = new TestHost(root: _root);
        await second.WaitForAsync(running, "completed");
        await second.WaitForAsync(queued, "completed");
        Assert.Equal(2, second.Generator.Requests.Count);
    }

    [Fact]
    public async Task A_job_running_at_a_crash_is_requeued_once()
    {
        var id = await SubmitThenCrashWhileRunning(attempts: 1);
        await using var host = new TestHost(root: _root);
        await host.WaitForAsync(id, "completed");
    }

    [Fact]
    public async Task A_job_interrupted_twice_fails_with_a_clear_reason()
    {
        var id = await SubmitThenCrashWhileRunning(attempts: 2);
        await using var host = new TestHost(root: _root);
        var job = await host.WaitForAsync(id, "failed");
        Assert.Equal("interrupted", (string?)job["error"]!["type"]);
        Assert.Contains("server stopped while this job was running", (string?)job["error"]!["message"]);
        Assert.Empty(host.Generator.Requests);
    }

    /// <summary>Accepts a job and starts it, stops the host, then leaves the row as a crash mid-run would: processing, attempts used.</summary>
    private async Task<string> SubmitThenCrashWhileRunning(int attempts)
    {
        string id;
        await using (var first = new TestHost(new() { ["Ltx:Devices"] = "cpu" }, root: _root, generator: HeldForever()))
        {
            id = (string)(await first.SubmitAsync())["id"]!;
            await first.Generator.WaitForStartAsync();
        }
        using var db = TestHost.OpenDatabase(Path.Combine(_root, "data"));
        using var command = db.CreateCommand();
        command.CommandText = "UPDATE jobs SET status = 'processing', attempts = $a, worker = 'crashed/cpu' WHERE id = $id";
        command.Parameters.AddWithValue("$a", attempts);
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, command.ExecuteNonQuery());
        return id;
    }

    private static FakeGeneratorFactory HeldForever()
    {
        var generator = new FakeGeneratorFactory();
        generator.Hold();
        return generator;
    }
}
