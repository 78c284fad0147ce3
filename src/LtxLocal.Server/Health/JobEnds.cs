namespace LtxLocal.Server.Health;

/// <summary>When the last jobs ended (any outcome frees a queue slot): the queue's observed drain rate, for Retry-After.</summary>
public sealed class JobEnds
{
    private const int Samples = 32;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);
    private readonly Queue<DateTimeOffset> _ends = new();

    public void Ended(DateTimeOffset? at = null)
    {
        lock (_ends)
        {
            _ends.Enqueue(at ?? DateTimeOffset.UtcNow);
            while (_ends.Count > Samples) _ends.Dequeue();
        }
    }

    /// <summary>Jobs ended per second over the recent ends (at least 3 within 30 minutes of <paramref name="now"/>); null when unknown.</summary>
    public double? RatePerSecond(DateTimeOffset now)
    {
        lock (_ends)
        {
            var recent = _ends.Where(t => now - t < Window).ToList();
            if (recent.Count < 3) return null;
            var span = (recent[^1] - recent[0]).TotalSeconds;
            return span <= 0 ? null : (recent.Count - 1) / span;
        }
    }
}
