using System.Globalization;
using System.Text;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// A position in the newest-first job list: the (created_at, id) of the last job a page returned. The next page starts
/// strictly after it, so jobs submitted while a client pages through appear on no page it has not yet read twice and
/// shift nothing. Sent to clients as opaque base64url text; <see cref="TryParse"/> refuses anything it did not write.
/// </summary>
public sealed record JobCursor(DateTimeOffset CreatedAt, string Id)
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static JobCursor After(JobRecord job) => new(job.CreatedAt, job.Id);

    public string Encode()
    {
        var text = $"{CreatedAt.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}|{Id}";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryParse(string? value, out JobCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(value) || value.Length > 200) return false;
        var base64 = value.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length)) return false;
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes, 0, length); }
        catch (DecoderFallbackException) { return false; }
        var parts = text.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[1], "D", out _)) return false;
        if (!DateTime.TryParseExact(parts[0], Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            return false;
        cursor = new JobCursor(new DateTimeOffset(at, TimeSpan.Zero), parts[1]);
        return true;
    }
}
