using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Inputs;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, defect 2: this machine's own addresses and IANA's special-purpose ranges are refused.</summary>
public sealed class AddressPolicyTests
{
    private static UrlPolicy Policy(params string[] allowed) => new(new OutboundOptions { AllowedNetworks = [.. allowed] });

    /// <summary>Read independently of the product's own list: every unicast address of every interface, loopback aside.</summary>
    private static List<IPAddress> InterfaceAddresses() => NetworkInterface.GetAllNetworkInterfaces()
        .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
        .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal).ToList();

    /// <summary>
    /// <see cref="InterfaceAddresses"/>; the test is skipped, with the reason, where there is none (a network namespace
    /// with loopback only, as `make test-debian13` runs the suite in): nothing of this machine's own to refuse there.
    /// </summary>
    private static List<IPAddress> OwnAddressesOrSkip()
    {
        var mine = InterfaceAddresses();
        Skip.If(mine.Count == 0, "no network interface besides loopback (e.g. inside `unshare --net`): this machine owns no address to refuse");
        return mine;
    }

    [SkippableFact]
    public void The_machines_own_interface_addresses_are_refused_even_when_every_network_is_allowed()
    {
        var mine = OwnAddressesOrSkip();
        var policy = Policy("0.0.0.0/0", "::/0");
        foreach (var address in mine)
        {
            var why = policy.AddressRefusal(address);
            Assert.NotNull(why);
            Assert.Contains("belongs to this machine", why);
            Assert.Contains("Ltx:Outbound:AllowedNetworks", why);
        }
        Assert.Null(policy.AddressRefusal(IPAddress.Parse("8.8.8.8")));
    }

    [SkippableFact]
    public void An_own_address_listed_by_itself_is_allowed()
    {
        var address = OwnAddressesOrSkip().First();
        var single = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        Assert.Null(Policy($"{address}/{single}").AddressRefusal(address));
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.200")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.254")]
    [InlineData("192.88.99.1")]
    [InlineData("255.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("fec0::1")]
    public void Documentation_benchmarking_and_other_special_purpose_ranges_are_refused_naming_the_setting(string literal)
    {
        var why = Policy().AddressRefusal(IPAddress.Parse(literal));
        Assert.NotNull(why);
        Assert.Contains("Ltx:Outbound:AllowedNetworks", why);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700::1111")]
    public void Ordinary_public_addresses_pass(string literal) => Assert.Null(Policy().AddressRefusal(IPAddress.Parse(literal)));

    [Fact]
    public void A_special_range_is_opened_by_allowed_networks() =>
        Assert.Null(Policy("203.0.113.0/24").AddressRefusal(IPAddress.Parse("203.0.113.5")));

    [SkippableFact]
    public async Task A_url_naming_this_machine_is_refused_at_connect_time()
    {
        OwnAddressesOrSkip();
        var host = Dns.GetHostName();
        var resolved = await Dns.GetHostAddressesAsync(host);
        Assert.NotEmpty(resolved);
        // Everything allowed except what the machine itself owns: the name passes the URL check and is caught after DNS.
        await using var server = new TestHost(new() { ["Ltx:Outbound:AllowedNetworks:0"] = "0.0.0.0/0", ["Ltx:Outbound:AllowedNetworks:1"] = "::/0" });
        var response = await server.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = $"http://{host}:9/x.png" }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("belongs to this machine", message);
        Assert.Contains("Ltx:Outbound:AllowedNetworks", message);
    }
}
