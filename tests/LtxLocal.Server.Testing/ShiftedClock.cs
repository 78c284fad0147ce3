namespace LtxLocal.Server.Testing;

/// <summary>
/// The system clock plus an offset the test moves forward: the server reads "now" from it (expiry, expires_at), while its
/// timers keep real time, so a 60 s retention can be seen to end without waiting 60 s.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
