namespace LtxLocal.Server.Jobs;

/// <summary>One pending webhook in the outbox: the job's final status JSON for its webhook_url, and how far its retries got.</summary>
public sealed record WebhookDelivery(string Id, string JobId, string Url, string Body, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt);
