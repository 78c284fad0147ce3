using LtxLocal.Media;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Inputs;

/// <summary>A validated input image: its original bytes (stored for the worker) and its size.</summary>
public sealed record LoadedImage(byte[] Data, int Width, int Height);

/// <summary>
/// Loads an input image from a data URI, an http(s) URL or uploaded bytes, and decodes it once
/// to prove it is a whole, supported, reasonably sized image. Every refusal is a 400 naming the field.
/// </summary>
public sealed class ImageInputs(ImageDecoder decoder, UrlPolicy policy, OutboundHttp http, IOptions<ServerOptions> options)
{
    private long MaxBytes => options.Value.MaxImageBytes;

    public async Task<LoadedImage> FromUriAsync(string uri, string field, CancellationToken token)
    {
        if (uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return await FromBytesAsync(DecodeDataUri(uri, field), field, token);
        var url = policy.CheckUrl(uri, field);
        byte[] data;
        try
        {
            using var response = await http.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token);
            if (!response.IsSuccessStatusCode) throw ApiException.BadRequest($"'{field}' could not be fetched: the server answered {(int)response.StatusCode}");
            data = await OutboundHttp.ReadLimitedAsync(response, MaxBytes, token);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidDataException or TaskCanceledException && !token.IsCancellationRequested)
        {
            throw ApiException.BadRequest($"'{field}' could not be fetched: {e.Message}");
        }
        return await FromBytesAsync(data, field, token);
    }

    public async Task<LoadedImage> FromBytesAsync(byte[] data, string field, CancellationToken token)
    {
        try
        {
            var image = await decoder.DecodeAsync(data, token);
            return new LoadedImage(data, image.Width, image.Height);
        }
        catch (ImageRejectedException e)
        {
            throw ApiException.BadRequest($"'{field}': {e.Message}");
        }
    }

    private byte[] DecodeDataUri(string uri, string field)
    {
        var comma = uri.IndexOf(',');
        var header = comma < 0 ? "" : uri[5..comma];
        if (comma < 0 || !header.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            throw ApiException.BadRequest($"'{field}' must be a data:image/...;base64,... URI or an http(s) URL");
        var payload = uri.AsSpan(comma + 1);
        if (payload.Length / 4 * 3 > MaxBytes) throw ApiException.BadRequest($"'{field}' is larger than the image limit of {MaxBytes} bytes");
        var bytes = new byte[payload.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out var written)) throw ApiException.BadRequest($"'{field}' has invalid base64 data");
        return bytes[..written];
    }
}
