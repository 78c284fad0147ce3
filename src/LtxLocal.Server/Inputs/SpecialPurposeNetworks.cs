using System.Net;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and later), plus multicast and the
/// reserved 240/4: every range that is not an ordinary public host. A URL the server fetches or calls on a
/// client's behalf may not reach any of them unless Ltx:Outbound:AllowedNetworks opens one.
/// </summary>
public static class SpecialPurposeNetworks
{
    public static readonly IReadOnlyList<IPNetwork> All = Array.ConvertAll(
    [
        // IPv4
        "0.0.0.0/8",          // "this network"
        "10.0.0.0/8",         // private
        "100.64.0.0/10",      // shared address space (CGNAT)
        "127.0.0.0/8",        // loopback
        "169.254.0.0/16",     // link-local (cloud metadata lives here)
        "172.16.0.0/12",      // private
        "192.0.0.0/24",       // IETF protocol assignments
        "192.0.2.0/24",       // documentation TEST-NET-1
        "192.31.196.0/24",    // AS112-v4
        "192.52.193.0/24",    // AMT
        "192.88.99.0/24",     // deprecated 6to4 relay anycast
        "192.168.0.0/16",     // private
        "192.175.48.0/24",    // direct delegation AS112
        "198.18.0.0/15",      // benchmarking
        "198.51.100.0/24",    // documentation TEST-NET-2
        "203.0.113.0/24",     // documentation TEST-NET-3
        "224.0.0.0/4",        // multicast
        "240.0.0.0/4",        // reserved, and 255.255.255.255 broadcast
        // IPv6 (IPv4-mapped addresses are checked as IPv4)
        "::/96",              // unspecified, loopback and the deprecated IPv4-compatible block
        "64:ff9b::/96",       // NAT64: would reach any IPv4 address, private ones included
        "64:ff9b:1::/48",     // local-use NAT64
        "100::/64",           // discard-only
        "2001::/23",          // IETF protocol assignments (Teredo, ORCHID, benchmarking...)
        "2001:db8::/32",      // documentation
        "2002::/16",          // 6to4: embeds an arbitrary IPv4 address
        "3fff::/20",          // documentation
        "5f00::/16",          // SRv6 SIDs
        "fc00::/7",           // unique local
        "fe80::/10",          // link-local
        "fec0::/10",          // deprecated site-local
        "ff00::/8",           // multicast
    ], IPNetwork.Parse);

    public static bool Contains(IPAddress address) => All.Any(n => n.Contains(address));
}
