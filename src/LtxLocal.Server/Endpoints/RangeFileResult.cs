using Microsoft.Net.Http.Headers;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// A file download that answers a single byte range with 206 on any method. ASP.NET's own range
/// support only applies to GET and HEAD, and the published API downloads with POST.
/// </summary>
public sealed class RangeFileResult(string path, string contentType, string downloadName) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var length = new FileInfo(path).Length;
        response.ContentType = contentType;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = downloadName }.ToString();

        var (from, to) = (0L, length - 1);
        if (RangeHeaderValue.TryParse(context.Request.Headers.Range.ToString(), out var range) && range.Unit == "bytes" && range.Ranges.Count == 1)
        {
            var r = range.Ranges.First();
            if (r.From is null) (from, to) = (Math.Max(0, length - (r.To ?? 0)), length - 1);
            else (from, to) = (r.From.Value, Math.Min(r.To ?? length - 1, length - 1));
            if (from > to || from >= length)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length}";
                return;
            }
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
        }
        response.ContentLength = to - from + 1;
        await response.SendFileAsync(path, from, to - from + 1, context.RequestAborted);
    }
}
