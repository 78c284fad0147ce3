using System.Net;
using System.Net.Sockets;
using LtxLocal.Server.Hosting;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// Which URLs and addresses the server may reach on a client's behalf (image_uri, webhook_url,
/// upload_url). Non-public ranges are denied unless Ltx:Outbound:AllowedNetworks opens them; the
/// address check runs again at connect time, after DNS, so a name cannot smuggle in 127.0.0.1.
/// </summary>
public sealed class UrlPolicy
{
    private static readonly IPNetwork[] NonPublic = Parse(
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8",
    ]);

    private readonly string[] _allowedHosts;
    private readonly string[] _deniedHosts;
    private readonly IPNetwork[] _allowed;
    private readonly IPNetwork[] _denied;

    public UrlPolicy(OutboundOptions options)
    {
        _allowedHosts = Present(options.AllowedHosts);
        _deniedHosts = Present(options.DeniedHosts);
        _allowed = Parse(Present(options.AllowedNetworks));
        _denied = Parse(Present(options.DeniedNetworks));
    }

    /// <summary>Configuration can hold empty entries (an override set to null); they mean nothing.</summary>
    private static string[] Present(IEnumerable<string?> values) => [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];

    /// <summary>Checks what can be checked without DNS; a 400 naming the field when the URL is refused.</summary>
    public Uri CheckUrl(string url, string field)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw ApiException.BadRequest($"'{field}' must be an absolute http:// or https:// URL");
        if (HostRefusal(uri.IdnHost) is { } why) throw ApiException.BadRequest($"'{field}' is not allowed: {why}");
        return uri;
    }

    /// <summary>Why a host name or literal address is refused, or null when it is allowed.</summary>
    public string? HostRefusal(string host)
    {
        host = host.Trim('[', ']');
        if (_deniedHosts.Contains(host, StringComparer.OrdinalIgnoreCase)) return $"host '{host}' is denied by configuration";
        if (_allowedHosts.Length > 0 && !_allowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            return $"host '{host}' is not in the allowed hosts";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return IsAllowed(IPAddress.Loopback) ? null : "loopback addresses are not allowed";
        return IPAddress.TryParse(host, out var address) && !IsAllowed(address) ? $"address {address} is in a private, loopback or link-local range" : null;
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_denied.Any(n => n.Contains(address))) return false;
        if (_allowed.Any(n => n.Contains(address))) return true;
        return !NonPublic.Any(n => n.Contains(address));
    }

    private static IPNetwork[] Parse(IEnumerable<string> cidrs) =>
        cidrs.Select(c => c.Contains('/') ? IPNetwork.Parse(c) : new IPNetwork(IPAddress.Parse(c), IPAddress.Parse(c).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)).ToArray();
}
