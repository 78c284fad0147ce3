using System.Text;
using System.Text.Json.Nodes;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Issue 15, defect 9: webhook deliveries wait in the job store (the outbox) until the receiver takes them; one still being
/// retried when the server stops is sent by the next start.
/// </summary>
public sealed class WebhookOutboxTests
{
    private static long Pending(string dataDir)
    {
        using var connection = TestHost.OpenDatabase(dataDir);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_outbox";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_delivery_still_being_retried_at_shutdown_is_sent_after_the_restart()
    {
        var root = Directory.CreateTempSubdirectory("ltx-outbox-").FullName;
        await using var receiver = await LocalWebServer.StartAsync();
        receiver.Statuses["/hook"] = 503;
        var settings = new Dictionary<string, string?> { ["Ltx:Webhooks:Attempts"] = "50", ["Ltx:Webhooks:FirstRetrySeconds"] = "0.2" };
        string id;
        try
        {
            await using (var first = new TestHost(settings, root: root))
            {
                id = (string)(await first.SubmitAsync(new { webhook_url = receiver.BaseUrl + "/hook" }))["id"]!;
                await first.WaitForAsync(id, "completed");
                await WaitUntilAsync(() => receiver.Received.Count(r => r.Path == "/hook") >= 2, "the webhook was not tried twice");
            }
            // Stopped with the delivery unsent: it is in the store, with its attempts so far.
            Assert.Equal(1, Pending(Path.Combine(root, "data")));

            receiver.Statuses.TryRemove("/hook", out _);
            var triedBefore = receiver.Received.Count(r => r.Path == "/hook");
            await using var second = new TestHost(settings, root: root);
            await WaitUntilAsync(() => Pending(second.DataDir) == 0, "the outbox was not emptied after the restart");
            var delivered = receiver.Received.Where(r => r.Path == "/hook").Skip(triedBefore).ToList();
            Assert.NotEmpty(delivered);
            var body = JsonNode.Parse(Encoding.UTF8.GetString(delivered[^1].Body))!;
            Assert.Equal((id, "completed"), ((string?)body["id"], (string?)body["status"]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_delivery_is_given_up_after_the_configured_attempts()
    {
        await using var receiver = await LocalWebServer.StartAsync();
        receiver.Statuses["/hook"] = 500;
        await using var host = new TestHost(new() { ["Ltx:Webhooks:Attempts"] = "3", ["Ltx:Webhooks:FirstRetrySeconds"] = "0.05" });
        var id = (string)(await host.SubmitAsync(new { webhook_url = receiver.BaseUrl + "/hook" }))["id"]!;
        await host.WaitForAsync(id, "completed");
        await WaitUntilAsync(() => receiver.Received.Count(r => r.Path == "/hook") >= 3 && Pending(host.DataDir) == 0, "three attempts, then the delivery is dropped");
        await Task.Delay(500); // the backoff (0.05, 0.1 s) would have brought a fourth attempt by now
        Assert.Equal(3, receiver.Received.Count(r => r.Path == "/hook"));
    }
}
