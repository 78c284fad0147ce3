using System.Net;
using System.Net.Http.Headers;

namespace LtxLocal.Server.Tests;

public sealed class AuthTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> V1Routes => new()
    {
        "/v1/text-to-video", "/v1/image-to-video", $"/v1/jobs/{Guid.NewGuid()}", $"/v1/jobs/{Guid.NewGuid()}/download", $"/v1/jobs/{Guid.NewGuid()}/cancel",
    };

    [Theory]
    [MemberData(nameof(V1Routes))]
    public async Task Missing_key_returns_401(string route)
    {
        var message = await TestHost.AssertErrorAsync(await _host.Anonymous().PostAsync(route, null), 401, "authentication_error");
        Assert.Contains("Authorization: Bearer", message);
    }

    [Theory]
    [InlineData("Bearer wrong-key")]
    [InlineData("Bearer ")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    [InlineData("test-key-0123456789")]
    public async Task Wrong_key_returns_401(string header)
    {
        var client = _host.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        await TestHost.AssertErrorAsync(await client.GetAsync("/v1/models"), 401, "authentication_error");
    }

    [Fact]
    public async Task Right_key_is_accepted()
    {
        var client = _host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestHost.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    [InlineData("/metrics")]
    public async Task Probes_need_no_key(string route) =>
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await _host.Anonymous().GetAsync(route)).StatusCode);

    [Fact]
    public async Task Auth_is_checked_before_the_body()
    {
        var response = await _host.Anonymous().PostAsync("/v1/text-to-video", new StringContent("{not json", null, "application/json"));
        await TestHost.AssertErrorAsync(response, 401, "authentication_error");
    }
}

/// <summary>Without a configured key the first start writes one to the data directory, readable by the owner only.</summary>
public sealed class GeneratedKeyTests
{
    [Fact]
    public async Task First_start_without_keys_creates_a_0600_key_file_that_works()
    {
        await using var host = new TestHost(new() { ["Ltx:ApiKeys:0"] = null });
        var path = Path.Combine(host.DataDir, "api-keys");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var key = File.ReadAllLines(path).Single(l => !l.StartsWith('#'));
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        await TestHost.AssertErrorAsync(await host.Client.GetAsync("/v1/models"), 401, "authentication_error");
    }
}
