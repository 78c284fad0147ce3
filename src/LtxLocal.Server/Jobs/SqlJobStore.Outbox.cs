using System.Data.Common;
using System.Globalization;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// The store's side of delivery and counting: the webhook outbox (claimed with a lapsing claim, so a delivery interrupted
/// by a crash is taken up again, by this node after a restart or by another) and the per-node job outcome counters.
/// </summary>
public abstract partial class SqlJobStore
{
    private const string OutboxColumns = "id, job_id, url, body, attempts, next_attempt_at, created_at";

    public async Task CountOutcomeAsync(string node, string outcome, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c,
            "INSERT INTO job_outcomes (node, outcome, count) VALUES (@node, @outcome, 1) " +
            "ON CONFLICT (node, outcome) DO UPDATE SET count = job_outcomes.count + 1", token, null, ("node", node), ("outcome", outcome));
    }

    public async Task<IReadOnlyDictionary<string, long>> OutcomeCountsAsync(string node, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c, "SELECT outcome, count FROM job_outcomes WHERE node = @node", null, [("node", node)]);
        await using var reader = await command.ExecuteReaderAsync(token);
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync(token)) counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        return counts;
    }

    public async Task AddWebhookAsync(WebhookDelivery delivery, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c,
            "INSERT INTO webhook_outbox (id, job_id, url, body, attempts, next_attempt_at, created_at) VALUES (@id, @job, @url, @body, @attempts, @next, @created)",
            token, null, ("id", delivery.Id), ("job", delivery.JobId), ("url", delivery.Url), ("body", delivery.Body), ("attempts", delivery.Attempts),
            ("next", Iso(delivery.NextAttemptAt)), ("created", Iso(delivery.CreatedAt)));
    }

    public async Task<WebhookDelivery?> ClaimWebhookAsync(string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken token)
    {
        // The claim condition sits in the outer WHERE too: PostgreSQL re-checks it after waiting on a row another node just claimed.
        const string free = "next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)";
        await using var c = await OpenAsync(token);
        await using var command = Command(c,
            "UPDATE webhook_outbox SET claimed_by = @owner, claimed_until = @until " +
            $"WHERE id = (SELECT id FROM webhook_outbox WHERE {free} ORDER BY next_attempt_at LIMIT 1) AND {free} RETURNING {OutboxColumns}",
            null, [("owner", owner), ("now", Iso(now)), ("until", Iso(until))]);
        await using var reader = await command.ExecuteReaderAsync(token);
        if (!await reader.ReadAsync(token)) return null;
        return new WebhookDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), Time(reader.GetString(5)), Time(reader.GetString(6)));
    }

    public async Task RemoveWebhookAsync(string id, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c, "DELETE FROM webhook_outbox WHERE id = @id", token, null, ("id", id));
    }

    public async Task RetryWebhookAsync(string id, int attempts, DateTimeOffset next, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c, "UPDATE webhook_outbox SET attempts = @attempts, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL WHERE id = @id",
            token, null, ("id", id), ("attempts", attempts), ("next", Iso(next)));
    }

    public async Task<DateTimeOffset?> NextWebhookDueAsync(CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        return await ScalarAsync(c, "SELECT MIN(next_attempt_at) FROM webhook_outbox", token) is string text ? Time(text) : null;
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
