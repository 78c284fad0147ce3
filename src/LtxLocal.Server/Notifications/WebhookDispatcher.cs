namespace LtxLocal.Server.Notifications;

/// <summary>
/// Sends the webhook outbox: claims each due delivery (so two nodes never send the same one), POSTs it, and removes it once
/// the receiver answers 2xx or after Ltx:Webhooks:Attempts attempts; a failed attempt is due again after
/// Ltx:Webhooks:FirstRetrySeconds, doubling each time. Deliveries interrupted by a shutdown are released at once; those of a
/// crashed process when their claim lapses. Either way they are sent after the restart.
/// </summary>
public sealed class WebhookDispatcher(
    IJobStore store, Notifier notifier, WebhookOutboxSignal signal, ClusterNode node, IOptions<ServerOptions> options, TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int MaxInFlight = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _slots = new(MaxInFlight);

    /// <summary>A claim outlives one attempt (headers and body within the outbound timeout) with room to spare.</summary>
    private TimeSpan ClaimFor => TimeSpan.FromSeconds(2 * options.Value.Outbound.TimeoutSeconds + 10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sending = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stoppingToken);
                var now = clock.GetUtcNow();
                var delivery = await store.ClaimWebhookAsync(node.Id, now, now + ClaimFor, stoppingToken);
                if (delivery is not null)
                {
                    sending.RemoveAll(t => t.IsCompleted);
                    sending.Add(Task.Run(() => SendAsync(delivery, stoppingToken), CancellationToken.None));
                    continue;
                }
                _slots.Release();
                await signal.WaitAsync(await UntilNextAsync(now, stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Webhook outbox: store error");
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
        await Task.WhenAll(sending);
    }

    /// <summary>Until the next delivery is due, at most one poll (other nodes add deliveries too), at least a moment.</summary>
    private async Task<TimeSpan> UntilNextAsync(DateTimeOffset now, CancellationToken token)
    {
        var next = await store.NextWebhookDueAsync(token);
        var wait = next is { } due ? due - now : Poll;
        return wait < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait > Poll ? Poll : wait;
    }

    private async Task SendAsync(WebhookDelivery delivery, CancellationToken stopping)
    {
        try
        {
            var attempt = delivery.Attempts + 1;
            var problem = await notifier.PostAsync(delivery, stopping);
            if (problem is null)
            {
                await store.RemoveWebhookAsync(delivery.Id, CancellationToken.None);
                return;
            }
            var settings = options.Value.Webhooks;
            logger.LogWarning("Webhook for job {JobId}: attempt {Attempt} failed: {Problem}", delivery.JobId, attempt, problem);
            if (attempt >= settings.Attempts)
            {
                logger.LogError("Webhook for job {JobId} gave up after {Attempts} attempts", delivery.JobId, attempt);
                await store.RemoveWebhookAsync(delivery.Id, CancellationToken.None);
                return;
            }
            var delay = TimeSpan.FromSeconds(settings.FirstRetrySeconds * Math.Pow(2, attempt - 1));
            await store.RetryWebhookAsync(delivery.Id, attempt, clock.GetUtcNow() + delay, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down mid-POST: not an attempt; due again at once for whoever starts next.
            await store.RetryWebhookAsync(delivery.Id, delivery.Attempts, clock.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Webhook for job {JobId}: the outbox could not be updated; the claim lapses and it is sent again", delivery.JobId);
        }
        finally
        {
            _slots.Release();
            signal.Wake();
        }
    }
}
