namespace LtxLocal.Server.Health;

/// <summary>
/// Retry-After for a 429: how long until the queue has room, from how fast it has actually been draining
/// (jobs ended per second over the last ends observed), else from the mean run time spread over this node's
/// workers, else Ltx:RetryAfterSeconds. The old guess divided by 4 whatever the worker count.
/// </summary>
public sealed class RetryAfterEstimator(ServerMetrics metrics, DeviceSelection devices, IOptions<ServerOptions> options, TimeProvider clock)
{
    public int Seconds(int queued)
    {
        var waiting = Math.Max(1, queued);
        double? estimate = metrics.DrainRatePerSecond(clock.GetUtcNow()) is { } rate && rate > 0
            ? waiting / rate
            : metrics.MeanRunSeconds is { } mean ? mean * Math.Ceiling(waiting / (double)Math.Max(1, devices.Devices.Count)) : null;
        return estimate is { } seconds ? (int)Math.Clamp(Math.Ceiling(seconds), 1, 3600) : options.Value.RetryAfterSeconds;
    }
}
