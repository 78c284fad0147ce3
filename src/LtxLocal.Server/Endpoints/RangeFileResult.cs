using LtxLocal.Server.Contracts;
using Microsoft.Net.Http.Headers;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// A file download that honours one byte range on any method (ASP.NET's own range support only applies to GET and HEAD,
/// and the published API downloads with POST), as RFC 9110 §14 says: a satisfiable range is a 206 with Content-Range; an
/// unsatisfiable one a 416 with <c>Content-Range: bytes */N</c> and the documented error body; a malformed Range header,
/// another unit, or several ranges are ignored and the whole file is sent (200), which the RFC allows.
/// </summary>
public sealed class RangeFileResult(string path, string contentType, string downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var length = new FileInfo(path).Length;
        response.Headers.AcceptRanges = "bytes";
        var (from, to) = (0L, length - 1);
        if (SingleRange(context.Request.Headers.Range.ToString()) is { } range)
        {
            if (Satisfiable(range, length) is not { } bounds)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length}";
                await response.WriteAsJsonAsync(ErrorBody.Of("range_not_satisfiable",
                    $"the range '{context.Request.Headers.Range}' lies outside the file's {length} bytes"), ApiJson.Default.ErrorBody, cancellationToken: context.RequestAborted);
                return;
            }
            (from, to) = bounds;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
        }
        response.ContentType = contentType;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName }.ToString();
        response.ContentLength = to - from + 1;
        await response.SendFileAsync(path, from, to - from + 1, context.RequestAborted);
    }

    /// <summary>The one byte range asked for; null when the header is absent, malformed, of another unit, or asks for several ranges.</summary>
    private static RangeItemHeaderValue? SingleRange(string header) =>
        RangeHeaderValue.TryParse(header, out var range) && range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase) && range.Ranges.Count == 1
            ? range.Ranges.First()
            : null;

    /// <summary>The range's first and last byte within the file, or null when no byte of it is in the file.</summary>
    private static (long From, long To)? Satisfiable(RangeItemHeaderValue range, long length)
    {
        if (range.From is null) // suffix: the last N bytes
            return range.To is > 0 && length > 0 ? (Math.Max(0, length - range.To.Value), length - 1) : null;
        if (range.From.Value >= length) return null;
        return (range.From.Value, Math.Min(range.To ?? length - 1, length - 1));
    }
}
