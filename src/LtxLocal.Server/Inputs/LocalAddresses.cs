using System.Net;
using System.Net.NetworkInformation;

namespace LtxLocal.Server.Inputs;

/// <summary>
/// The addresses assigned to this machine's interfaces. A URL naming the machine's own host name resolves to
/// them as well as to 127.0.0.1, and a public interface address would pass a range check while still reaching
/// services that listen only on this host. Interfaces change (DHCP, VPNs), so the set is re-read every few seconds.
/// </summary>
public sealed class LocalAddresses(TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private HashSet<IPAddress> _addresses = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public bool Contains(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return true;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _readAt > MaxAge)
            {
                _addresses = Read();
                _readAt = now;
            }
            return _addresses.Contains(address);
        }
    }

    private static HashSet<IPAddress> Read()
    {
        var set = new HashSet<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
        {
            var address = unicast.Address;
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) address = new IPAddress(address.GetAddressBytes()); // drop the scope id
            set.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }
        return set;
    }
}
