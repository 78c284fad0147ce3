using System.Text;
using Microsoft.Net.Http.Headers;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// A file download that honours byte ranges on any method (ASP.NET's own range support only applies to GET and HEAD,
/// and the published API downloads with POST), as RFC 9110 §14 says: one satisfiable range is a 206 with
/// Content-Range; several are a 206 <c>multipart/byteranges</c> with one part per range (overlapping or adjacent
/// ranges merged, in file order, unsatisfiable ones left out); none satisfiable is a 416 with <c>Content-Range:
/// bytes */N</c> and the documented error body. A malformed Range header, another unit, or more than
/// <see cref="MaxParts"/> ranges after merging are ignored and the whole file is sent (200), which the RFC allows.
/// </summary>
public sealed class RangeFileResult(string path, string contentType, string downloadName) : IResult
{
    /// <summary>Parts of a multipart answer at most; more small ranges than this are served as the whole file.</summary>
    public const int MaxParts = 16;

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var length = new FileInfo(path).Length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName }.ToString();
        var asked = ByteRanges(context.Request.Headers.Range.ToString());
        var ranges = asked is null ? null : Merge(asked.Select(r => Satisfiable(r, length)).OfType<(long From, long To)>());
        if (ranges is { Count: 0 })
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length}";
            await response.WriteAsJsonAsync(ErrorBody.Of("range_not_satisfiable",
                $"the range '{context.Request.Headers.Range}' lies outside the file's {length} bytes"), ApiJson.Default.ErrorBody, cancellationToken: context.RequestAborted);
            return;
        }
        if (ranges is { Count: > 1 and <= MaxParts })
        {
            await SendPartsAsync(context, ranges, length);
            return;
        }
        var (from, to) = (0L, length - 1);
        if (ranges is { Count: 1 })
        {
            (from, to) = ranges[0];
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
        }
        response.ContentType = contentType;
        response.ContentLength = to - from + 1;
        await response.SendFileAsync(path, from, to - from + 1, context.RequestAborted);
    }

    /// <summary>206 multipart/byteranges: each part its Content-Type and Content-Range, then its bytes (RFC 9110 §14.6).</summary>
    private async Task SendPartsAsync(HttpContext context, IReadOnlyList<(long From, long To)> ranges, long length)
    {
        var response = context.Response;
        var boundary = Guid.NewGuid().ToString("N");
        byte[] Head(int i) => Encoding.ASCII.GetBytes(
            $"{(i == 0 ? "" : "\r\n")}--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: bytes {ranges[i].From}-{ranges[i].To}/{length}\r\n\r\n");
        var heads = ranges.Select((_, i) => Head(i)).ToList();
        var tail = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        response.StatusCode = StatusCodes.Status206PartialContent;
        response.ContentType = $"multipart/byteranges; boundary={boundary}";
        response.ContentLength = heads.Sum(h => h.Length) + ranges.Sum(r => r.To - r.From + 1) + tail.Length;
        for (int i = 0; i < ranges.Count; i++)
        {
            await response.Body.WriteAsync(heads[i], context.RequestAborted);
            await response.SendFileAsync(path, ranges[i].From, ranges[i].To - ranges[i].From + 1, context.RequestAborted);
        }
        await response.Body.WriteAsync(tail, context.RequestAborted);
    }

    /// <summary>The byte ranges asked for; null when the header is absent, malformed or of another unit.</summary>
    private static ICollection<RangeItemHeaderValue>? ByteRanges(string header) =>
        RangeHeaderValue.TryParse(header, out var range) && range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) ? range.Ranges : null;

    /// <summary>The range's first and last byte within the file, or null when no byte of it is in the file.</summary>
    private static (long From, long To)? Satisfiable(RangeItemHeaderValue range, long length)
    {
        if (range.From is null) // suffix: the last N bytes
            return range.To is > 0 && length > 0 ? (Math.Max(0, length - range.To.Value), length - 1) : null;
        if (range.From.Value >= length) return null;
        return (range.From.Value, Math.Min(range.To ?? length - 1, length - 1));
    }

    /// <summary>Ranges in file order with overlapping and adjacent ones joined, so no byte is sent twice.</summary>
    private static List<(long From, long To)> Merge(IEnumerable<(long From, long To)> ranges)
    {
        var merged = new List<(long From, long To)>();
        foreach (var (from, to) in ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && from <= merged[^1].To + 1) merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, to));
            else merged.Add((from, to));
        }
        return merged;
    }
}
