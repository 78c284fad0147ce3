using System.Globalization;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A request's ttl: how long its result is kept after the job ends, from 60 s to the server's maximum
/// (Ltx:MaxResultTtlHours, never below Ltx:ResultTtlHours). A value outside is not a reason to refuse: it is moved to the
/// nearest bound and reported in adjustments.
/// </summary>
public static class JobRetention
{
    public const long MinSeconds = 60;

    /// <returns>the seconds to keep (null: the server's retention) and the adjustment when the ask was moved</returns>
    public static (long? Seconds, Adjustment? Adjustment) Resolve(long? asked, ServerOptions options)
    {
        if (asked is not { } seconds) return (null, null);
        var max = (long)Math.Floor(options.MaxResultTtl.TotalSeconds);
        if (seconds < MinSeconds) return (MinSeconds, Moved(seconds, MinSeconds, $"ttl is at least {MinSeconds} seconds"));
        if (seconds > max)
            return (max, Moved(seconds, max, $"this server keeps results at most {max.ToString(CultureInfo.InvariantCulture)} seconds (Ltx:MaxResultTtlHours)"));
        return (seconds, null);
    }

    private static Adjustment Moved(long asked, long applied, string reason) => new("ttl", JsonValue.Create(asked), JsonValue.Create(applied), reason);
}
