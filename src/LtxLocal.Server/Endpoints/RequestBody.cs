using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace LtxLocal.Server.Endpoints;

/// <summary>A generation request's fields, and the uploaded files (image, audio, video) when it came as multipart.</summary>
public sealed record RequestContent(RequestFields Fields, IFormFile? Image)
{
    public IReadOnlyDictionary<string, IFormFile> Files { get; init; } = new Dictionary<string, IFormFile>();

    public IFormFile? File(string name) => Files.GetValueOrDefault(name);
}

/// <summary>
/// Reads a request body within Ltx:MaxBodyBytes (413 beyond it, whether or not Content-Length told
/// us in advance) as JSON or, where allowed, multipart/form-data.
/// </summary>
public static class RequestBody
{
    /// <param name="fileFields">the multipart file fields the endpoint takes, each at most once (image-to-video: image)</param>
    public static async Task<RequestContent> ReadAsync(HttpRequest request, ServerOptions options, bool allowMultipart, IReadOnlyList<string>? fileFields = null)
    {
        fileFields ??= ["image"];
        var max = options.MaxBodyBytes;
        if (request.ContentLength > max) throw TooLarge(max);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max;

        if (request.HasJsonContentType())
        {
            var bytes = await ReadJsonBytesAsync(request, max);
            try
            {
                // A UTF-8 byte order mark is allowed before JSON text (RFC 8259 lets parsers ignore it); some clients send one.
                var json = bytes.AsMemory(bytes.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0);
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                JsonTextCheck.Check(doc.RootElement);
                return new RequestContent(new JsonFields(doc.RootElement.Clone()), null);
            }
            catch (JsonException e)
            {
                throw ApiException.BadRequest($"the body is not valid JSON: {e.Message}");
            }
        }
        if (allowMultipart && request.HasFormContentType && request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
                {
                    MultipartBodyLengthLimit = max, ValueLengthLimit = (int)Math.Min(max, int.MaxValue), ValueCountLimit = MaxFormValues,
                }, request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException e) when (e.Message.Contains("count limit", StringComparison.OrdinalIgnoreCase))
            {
                throw ApiException.TooLarge($"the multipart body has more than {MaxFormValues} parts; a generation request has at most {MaxFormValues}");
            }
            catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                throw TooLarge(max);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw ApiException.BadRequest($"the multipart body could not be read: {e.Message}");
            }
            if (form.Files.Any(f => !fileFields.Contains(f.Name)) || form.Files.GroupBy(f => f.Name).Any(g => g.Count() > 1))
                throw ApiException.BadRequest(fileFields.Count == 1
                    ? $"multipart requests take one file, in the field '{fileFields[0]}'"
                    : $"multipart requests take at most one file each in the fields {string.Join(", ", fileFields.Select(f => $"'{f}'"))}");
            return new RequestContent(new FormFields(form), form.Files.GetFile("image"))
            {
                Files = form.Files.ToDictionary(f => f.Name, f => f),
            };
        }
        throw ApiException.BadRequest(allowMultipart
            ? "Content-Type must be application/json or multipart/form-data"
            : "Content-Type must be application/json");
    }

    /// <summary>
    /// The body's bytes, reserved in the server-wide <see cref="BodyBufferBudget"/> (released when the response
    /// completes): a known Content-Length up front into one exact buffer, a streamed body chunk by chunk, each
    /// refused with 413 past <paramref name="max"/> and 503 when the budget has no room, before more is read.
    /// </summary>
    private static async Task<byte[]> ReadJsonBytesAsync(HttpRequest request, long max)
    {
        var budget = request.HttpContext.RequestServices.GetRequiredService<BodyBufferBudget>();
        var reservation = new BodyBufferBudget.Reservation(budget);
        request.HttpContext.Response.RegisterForDispose(reservation);
        var token = request.HttpContext.RequestAborted;
        if (request.ContentLength is { } length)
        {
            if (!reservation.TryAdd(length)) throw budget.Full();
            var exact = new byte[length];
            int filled = 0, read;
            while (filled < length && (read = await request.Body.ReadAsync(exact.AsMemory(filled), token)) > 0) filled += read;
            if (filled < length) throw ApiException.BadRequest($"the body ended after {filled} of the {length} bytes its Content-Length announced");
            return exact;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + n > max) throw TooLarge(max);
            if (!reservation.TryAdd(n)) throw budget.Full();
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private const int MaxFormValues = 64;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static ApiException TooLarge(long max) => ApiException.TooLarge($"the request body is larger than {max} bytes (Ltx:MaxBodyBytes)");
}
