using LtxLocal.Media;

namespace LtxLocal.Server.Inputs;

/// <summary>A validated input image: its original bytes (stored for the worker) and its upright size.</summary>
public sealed record LoadedImage(byte[] Data, int Width, int Height);

/// <summary>
/// Loads an input image from a data URI, an http(s) URL or uploaded bytes, and decodes it once
/// (row by row, keeping only a thumbnail) to prove it is a whole, supported, reasonably sized image.
/// Every refusal is a 400 naming the field.
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
            data = await http.FetchAsync(url, MaxBytes, token);
        }
        catch (FetchException e)
        {
            throw ApiException.BadRequest($"'{field}' could not be fetched: {e.Message}");
        }
        return await FromBytesAsync(data, field, token);
    }

    /// <summary>
    /// Several inputs of one request (keyframes), fetched at the same time under one overall deadline,
    /// Ltx:Outbound:InputsBudgetSeconds, so eight slow URLs cannot hold a submission eight times as long.
    /// The first refusal wins and cancels the rest.
    /// </summary>
    public async Task<IReadOnlyList<LoadedImage>> FromUrisAsync(IReadOnlyList<(string Uri, string Field)> inputs, CancellationToken token)
    {
        if (inputs.Count == 0) return [];
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(token);
        budget.CancelAfter(TimeSpan.FromSeconds(options.Value.Outbound.InputsBudgetSeconds));
        var loads = inputs.Select(async input =>
        {
            try
            {
                return await FromUriAsync(input.Uri, input.Field, budget.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw ApiException.BadRequest($"'{input.Field}' could not be fetched: the request's inputs did not all arrive within {options.Value.Outbound.InputsBudgetSeconds:0.###} s (Ltx:Outbound:InputsBudgetSeconds)");
            }
            catch
            {
                await budget.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(loads);
        }
        catch
        {
            // Report the first refusal that is not merely another load cancelled because of it.
            var failures = loads.Where(l => l.IsFaulted).Select(l => l.Exception!.InnerException!).ToList();
            throw failures.FirstOrDefault(e => e is ApiException { Message: var m } && !m.Contains("InputsBudgetSeconds")) ?? failures.First();
        }
    }

    public async Task<LoadedImage> FromBytesAsync(byte[] data, string field, CancellationToken token)
    {
        try
        {
            var (width, height, _) = await decoder.ValidateAsync(data, token);
            return new LoadedImage(data, width, height);
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
