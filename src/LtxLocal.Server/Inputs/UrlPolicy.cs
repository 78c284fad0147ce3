using System.Net;
using System.Net.Sockets;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// Which URLs and addresses the server may reach on a client's behalf (image_uri, webhook_url,
/// upload_url). IANA's special-purpose ranges are denied unless Ltx:Outbound:AllowedNetworks opens them;
/// this machine's own addresses are denied unless that setting lists the address itself. The address
/// check runs again at connect time, after DNS, so a name cannot smuggle in 127.0.0.1 or the host's own IP.
/// </summary>
public sealed class UrlPolicy
{
    public const string AllowedNetworksSetting = "Ltx:Outbound:AllowedNetworks";

    private readonly string[] _allowedHosts;
    private readonly string[] _deniedHosts;
    private readonly IPNetwork[] _allowed;
    private readonly IPNetwork[] _denied;
    private readonly LocalAddresses _local;

    public UrlPolicy(OutboundOptions options, LocalAddresses? local = null)
    {
        _allowedHosts = Present(options.AllowedHosts);
        _deniedHosts = Present(options.DeniedHosts);
        _allowed = Parse(Present(options.AllowedNetworks));
        _denied = Parse(Present(options.DeniedNetworks));
        _local = local ?? new LocalAddresses(TimeProvider.System);
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
        if (_deniedHosts.Contains(host, StringComparer.OrdinalIgnoreCase)) return $"host '{host}' is denied by Ltx:Outbound:DeniedHosts";
        if (_allowedHosts.Length > 0 && !_allowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            return $"host '{host}' is not in Ltx:Outbound:AllowedHosts";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return AddressRefusal(IPAddress.Loopback);
        return IPAddress.TryParse(host, out var address) ? AddressRefusal(address) : null;
    }

    public bool IsAllowed(IPAddress address) => AddressRefusal(address) is null;

    /// <summary>Why the server may not connect to this address, naming the setting that would allow it; null when it may.</summary>
    public string? AddressRefusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        if (_denied.Any(n => n.Contains(address))) return $"address {address} is denied by Ltx:Outbound:DeniedNetworks";
        if (_local.Contains(address))
        {
            // A wide allowed range (say the office network) must not open this machine's own services too.
            var single = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            return _allowed.Any(n => n.PrefixLength == single && n.Contains(address)) ? null
                : $"address {address} belongs to this machine; list it as {address}/{single} in {AllowedNetworksSetting} to allow it";
        }
        if (_allowed.Any(n => n.Contains(address))) return null;
        return SpecialPurposeNetworks.Contains(address)
            ? $"address {address} is in a special-purpose range (private, loopback, link-local, documentation, benchmarking...); {AllowedNetworksSetting} can allow a network"
            : null;
    }

    private static IPNetwork[] Parse(IEnumerable<string> cidrs) =>
        cidrs.Select(c => c.Contains('/') ? IPNetwork.Parse(c) : new IPNetwork(IPAddress.Parse(c), IPAddress.Parse(c).AddressFamily == AddressFamily.InterNetwork ? 32 : 128)).ToArray();
}
