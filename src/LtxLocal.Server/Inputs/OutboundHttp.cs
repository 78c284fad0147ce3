using System.Net;
using System.Net.Sockets;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// The one HttpClient for requests the server makes on a client's behalf. Every connection,
/// redirects included, resolves the host itself and connects only to addresses the
/// <see cref="UrlPolicy"/> allows; proxies are off so the check sees the real peer.
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    public HttpClient Client { get; }

    public OutboundHttp(UrlPolicy policy, IOptions<ServerOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = (context, token) => ConnectAsync(policy, context.DnsEndPoint, token),
        };
        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.Value.Outbound.TimeoutSeconds) };
    }

    private static async ValueTask<Stream> ConnectAsync(UrlPolicy policy, DnsEndPoint endpoint, CancellationToken token)
    {
        if (policy.HostRefusal(endpoint.Host) is { } why) throw new HttpRequestException($"refused: {why}");
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, token);
        var allowed = addresses.Where(policy.IsAllowed).ToArray();
        if (allowed.Length == 0) throw new HttpRequestException($"refused: '{endpoint.Host}' resolves only to private, loopback or link-local addresses");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads a response body, refusing to hold more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, long maxBytes, CancellationToken token)
    {
        if (response.Content.Headers.ContentLength > maxBytes) throw new InvalidDataException($"the response is larger than {maxBytes} bytes");
        await using var stream = await response.Content.ReadAsStreamAsync(token);
        return await StreamLimits.ReadAsync(stream, maxBytes, token) ?? throw new InvalidDataException($"the response is larger than {maxBytes} bytes");
    }

    public void Dispose() => Client.Dispose();
}

public static class StreamLimits
{
    /// <summary>The whole stream, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, long maxBytes, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, token)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
