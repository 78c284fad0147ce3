namespace LtxLocal.Server.Notifications;

/// <summary>Wakes the <see cref="WebhookDispatcher"/> when a delivery is queued, instead of making it wait for its next poll.</summary>
public sealed class WebhookOutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0);

    public void Wake() => _semaphore.Release();

    public Task WaitAsync(TimeSpan timeout, CancellationToken token) => _semaphore.WaitAsync(timeout, token);
}
