using System.Net;
using System.Net.Sockets;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// The one HttpClient for requests the server makes on a client's behalf. Every connection,
/// redirects included, resolves the host itself and connects only to addresses the
/// <see cref="UrlPolicy"/> allows; proxies are off so the check sees the real peer. Redirects are
/// followed here, not by the handler, so each target is checked like the first URL (no file: or data:).
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    private const int MaxRedirects = 3;
    private readonly UrlPolicy _policy;
    private readonly TimeSpan _timeout;

    public HttpClient Client { get; }

    public OutboundHttp(UrlPolicy policy, IOptions<ServerOptions> options)
    {
        _policy = policy;
        _timeout = TimeSpan.FromSeconds(options.Value.Outbound.TimeoutSeconds);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.Value.Outbound.TimeoutSeconds)),
            ConnectCallback = (context, token) => ConnectAsync(policy, context.DnsEndPoint, token),
        };
        Client = new HttpClient(handler) { Timeout = _timeout };
    }

    /// <summary>
    /// GETs <paramref name="url"/> whole: headers and body within Ltx:Outbound:TimeoutSeconds in total, at most
    /// <paramref name="maxBytes"/> bytes (checked while reading), following up to three checked redirects.
    /// Failures are <see cref="FetchException"/> with a message fit for the client; the caller's own cancellation passes through.
    /// </summary>
    public async Task<byte[]> FetchAsync(Uri url, long maxBytes, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(_timeout);
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop == MaxRedirects) throw new FetchException($"more than {MaxRedirects} redirects");
                    url = NextHop(url, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode) throw new FetchException($"the server answered {(int)response.StatusCode}");
                if (response.Content.Headers.ContentLength > maxBytes) throw new FetchException($"the response is larger than {maxBytes} bytes");
                await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
                return await StreamLimits.ReadAsync(stream, maxBytes, deadline.Token) ?? throw new FetchException($"the response is larger than {maxBytes} bytes");
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new FetchException($"it did not arrive within {_timeout.TotalSeconds:0.###} s (Ltx:Outbound:TimeoutSeconds)");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new FetchException(RefusalIn(e) ?? e.Message);
        }
    }

    /// <summary>The handler may wrap what the connect callback threw; the policy's own words are the useful ones.</summary>
    private static string? RefusalIn(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e.Message.StartsWith("refused: ", StringComparison.Ordinal)) return e.Message;
        return null;
    }

    private Uri NextHop(Uri from, Uri location)
    {
        var next = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            throw new FetchException($"it redirects to a {next.Scheme}: URL; only http(s) redirects are followed");
        if (_policy.HostRefusal(next.IdnHost) is { } why) throw new FetchException($"it redirects to a refused address: {why}");
        return next;
    }

    private static async ValueTask<Stream> ConnectAsync(UrlPolicy policy, DnsEndPoint endpoint, CancellationToken token)
    {
        if (policy.HostRefusal(endpoint.Host) is { } why) throw new HttpRequestException($"refused: {why}");
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, token);
        var allowed = addresses.Where(policy.IsAllowed).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"refused: '{endpoint.Host}' resolves only to refused addresses ({policy.AddressRefusal(addresses.FirstOrDefault() ?? IPAddress.None)})");
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

    public void Dispose() => Client.Dispose();
}

/// <summary>Why an outbound fetch failed, in words a client can act on.</summary>
public sealed class FetchException(string message) : Exception(message);
