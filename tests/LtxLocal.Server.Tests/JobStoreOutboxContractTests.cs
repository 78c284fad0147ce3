using LtxLocal.Server.Jobs;

namespace LtxLocal.Server.Tests;

/// <summary>
/// The delivery half of the store contract, on SQLite and PostgreSQL: the webhook outbox (one claim per delivery across
/// nodes, a lapsed claim taken again, retries due later) and the per-node job outcome totals.
/// </summary>
public sealed partial class JobStoreContractTests
{
    private static WebhookDelivery Delivery(string id, int secondsFromNow = 0) =>
        new(id, "job-" + id, "https://example.org/hook", "{\"id\":\"" + id + "\"}", 0, Now.AddSeconds(secondsFromNow), Now);

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_due_delivery_is_claimed_by_one_node_until_its_claim_lapses(string kind)
    {
        var (store, node) = await Initialized(kind);
        await store.AddWebhookAsync(Delivery("a"), default);
        await store.AddWebhookAsync(Delivery("later", secondsFromNow: 30), default);
        var other = node();

        // Eight claimers at once (two nodes): exactly one gets the due delivery; the later one is not due.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? store : other).ClaimWebhookAsync($"node-{i}", Now, Now.AddSeconds(20), default)));
        var claimed = Assert.Single(claims, c => c is not null)!;
        Assert.Equal(("a", "job-a", "https://example.org/hook", "{\"id\":\"a\"}", 0), (claimed.Id, claimed.JobId, claimed.Url, claimed.Body, claimed.Attempts));
        Assert.Null(await store.ClaimWebhookAsync("node-x", Now.AddSeconds(10), Now.AddSeconds(30), default));

        // The claimer vanished: after its claim lapses the delivery is due again (and "later" is now due too, but "a" is older).
        var again = await other.ClaimWebhookAsync("node-y", Now.AddSeconds(40), Now.AddSeconds(60), default);
        Assert.Equal("a", again!.Id);
        Assert.Equal(Now.AddSeconds(0), await store.NextWebhookDueAsync(default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task A_retried_delivery_waits_for_its_next_attempt_and_a_removed_one_is_gone(string kind)
    {
        var (store, _) = await Initialized(kind);
        Assert.Null(await store.NextWebhookDueAsync(default));
        await store.AddWebhookAsync(Delivery("a"), default);
        var claimed = await store.ClaimWebhookAsync("node-a", Now, Now.AddSeconds(20), default);
        await store.RetryWebhookAsync(claimed!.Id, 1, Now.AddSeconds(5), default);
        Assert.Equal(Now.AddSeconds(5), await store.NextWebhookDueAsync(default));
        Assert.Null(await store.ClaimWebhookAsync("node-a", Now.AddSeconds(4), Now.AddSeconds(24), default));
        var retried = await store.ClaimWebhookAsync("node-b", Now.AddSeconds(5), Now.AddSeconds(25), default);
        Assert.Equal(1, retried!.Attempts);
        await store.RemoveWebhookAsync("a", default);
        Assert.Null(await store.NextWebhookDueAsync(default));
        Assert.Null(await store.ClaimWebhookAsync("node-b", Now.AddHours(1), Now.AddHours(2), default));
    }

    [SkippableTheory]
    [MemberData(nameof(Stores))]
    public async Task Outcome_totals_are_kept_per_node(string kind)
    {
        var (store, node) = await Initialized(kind);
        Assert.Empty(await store.OutcomeCountsAsync("a", default));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.CountOutcomeAsync("a", JobStatus.Completed, default)));
        await store.CountOutcomeAsync("a", JobStatus.Failed, default);
        await node().CountOutcomeAsync("b", JobStatus.Completed, default);
        var a = await node().OutcomeCountsAsync("a", default);
        Assert.Equal((5L, 1L, 2), (a[JobStatus.Completed], a[JobStatus.Failed], a.Count));
        Assert.Equal(1L, (await store.OutcomeCountsAsync("b", default))[JobStatus.Completed]);
    }
}
