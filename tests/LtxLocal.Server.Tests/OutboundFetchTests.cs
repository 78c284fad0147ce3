using System.Diagnostics;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, defects 1 and 3: every image fetch has a total deadline and a byte limit, and redirects are checked.</summary>
public sealed class OutboundFetchTests
{
    [Fact]
    public async Task A_body_trickled_one_byte_at_a_time_is_cut_at_the_deadline()
    {
        await using var slow = new TricklingServer(TimeSpan.FromMilliseconds(100), maxBytes: 150);
        await using var host = new TestHost(new() { ["Ltx:Outbound:TimeoutSeconds"] = "1" });
        var clock = Stopwatch.StartNew();
        var response = await host.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = slow.BaseUrl + "/slow.png" }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        // Headers come at once and a byte every 100 ms: only a deadline on the whole body ends this before 15 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.Contains("image_uri", message);
        Assert.Contains("Ltx:Outbound:TimeoutSeconds", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task Eight_slow_keyframes_are_fetched_together_under_one_budget()
    {
        await using var slow = new TricklingServer(TimeSpan.FromMilliseconds(100), maxBytes: 300);
        await using var host = new TestHost(new() { ["Ltx:Outbound:TimeoutSeconds"] = "20", ["Ltx:Outbound:InputsBudgetSeconds"] = "1.5" });
        var frames = Enumerable.Range(0, 8).Select(i => new { image_uri = $"{slow.BaseUrl}/k{i}.png", frame = i }).ToArray();
        var clock = Stopwatch.StartNew();
        var response = await host.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = TestImages.DataUri(TestImages.Png(8, 8)), frame_images = frames }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        // One at a time, each under its own 20 s deadline, this took minutes; together under the budget, about 1.5 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Contains("Ltx:Outbound:InputsBudgetSeconds", message);
        Assert.Equal(8, slow.Connections);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task A_body_without_a_length_is_refused_once_it_passes_the_byte_limit()
    {
        await using var web = await LocalWebServer.StartAsync();
        await using var host = new TestHost(new() { ["Ltx:MaxImageBytes"] = "100000" });
        var url = web.Serve("/big.png", new byte[400_000]);
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = url })), 400, "invalid_request_error");
        Assert.Contains("larger than 100000 bytes", message);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file: URL")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=", "data: URL")]
    [InlineData("http://10.0.0.1/x.png", "Ltx:Outbound:AllowedNetworks")]
    [InlineData("http://169.254.169.254/latest/meta-data", "Ltx:Outbound:AllowedNetworks")]
    public async Task A_redirect_to_another_scheme_or_a_refused_address_is_a_400(string location, string expected)
    {
        await using var web = await LocalWebServer.StartAsync();
        await using var host = new TestHost();
        web.Redirects["/moved.png"] = location;
        var response = await host.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = web.BaseUrl + "/moved.png" }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("redirects", message);
        Assert.Contains(expected, message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_http_url_is_followed()
    {
        await using var web = await LocalWebServer.StartAsync();
        await using var host = new TestHost();
        var target = web.Serve("/real.png", TestImages.Png(32, 32));
        web.Redirects["/short"] = target;
        var body = await host.SubmitAsync(new { image_uri = web.BaseUrl + "/short" }, "/v1/image-to-video");
        await host.WaitForAsync((string)body["id"]!, "completed");
        Assert.Equal((32, 32), (host.Generator.Requests.Last().Images[0].Width, host.Generator.Requests.Last().Images[0].Height));
    }
}
