namespace LtxLocal.Server.Endpoints;

/// <summary>
/// The bytes of JSON request bodies the server holds in memory at once, across requests (Ltx:MaxBufferedBodyBytes).
/// Each body reserves what it buffers — its Content-Length up front, or chunk by chunk while it streams — and gives
/// it back when its response completes. Without it, 20 concurrent 31 MB bodies held 1.4 GB (issue 15); with it, a
/// body that does not fit is answered 503 with Retry-After before it is read.
/// </summary>
public sealed class BodyBufferBudget(IOptions<ServerOptions> options)
{
    private long _held;

    public long Limit => options.Value.MaxBufferedBodyBytes;

    /// <summary>Bytes reserved now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Reserves <paramref name="bytes"/> when they fit under <see cref="Limit"/>; false leaves nothing reserved.</summary>
    public bool TryReserve(long bytes)
    {
        while (true)
        {
            long held = Interlocked.Read(ref _held);
            if (held + bytes > Limit) return false;
            if (Interlocked.CompareExchange(ref _held, held + bytes, held) == held) return true;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _held, -bytes);

    /// <summary>What one request holds; released once, when the response completes (or the reader gives up).</summary>
    public sealed class Reservation(BodyBufferBudget budget) : IDisposable
    {
        private long _bytes;

        public bool TryAdd(long bytes)
        {
            if (!budget.TryReserve(bytes)) return false;
            Interlocked.Add(ref _bytes, bytes);
            return true;
        }

        public void Dispose() => budget.Release(Interlocked.Exchange(ref _bytes, 0));
    }

    /// <summary>503 service_unavailable: the body would not fit beside the ones being read now.</summary>
    public ApiException Full() => new(503, "service_unavailable",
        $"the server is holding {Limit} bytes of request bodies at once (Ltx:MaxBufferedBodyBytes); retry shortly")
    { RetryAfter = 1 };
}
