using System.Net;

namespace LtxLocal.Server.Tests;

/// <summary>A known path with the wrong method answers 405 with Allow and the documented body; an unknown path 404.</summary>
public sealed class MethodNotAllowedTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("GET", "/v1/jobs/{id}", "DELETE, POST")]
    [InlineData("PUT", "/v1/jobs", "GET")]
    [InlineData("GET", "/v1/jobs/{id}/download", "POST")]
    [InlineData("DELETE", "/v1/jobs/{id}/cancel", "POST")]
    [InlineData("GET", "/v1/text-to-video", "POST")]
    [InlineData("PUT", "/v1/image-to-video", "POST")]
    [InlineData("POST", "/v1/models", "GET")]
    [InlineData("POST", "/health", "GET")]
    [InlineData("DELETE", "/ready", "GET")]
    public async Task Wrong_method_on_a_known_route_returns_405_with_Allow(string method, string route, string allowed)
    {
        var path = route.Replace("{id}", Guid.NewGuid().ToString());
        var response = await _host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var message = await TestHost.AssertErrorAsync(response, 405, "method_not_allowed");
        Assert.Equal(allowed.Split(", "), response.Content.Headers.Allow);
        Assert.Contains(allowed, message);
    }

    [Fact]
    public async Task Unknown_route_returns_404_naming_the_api_reference()
    {
        var response = await _host.Client.GetAsync("/v1/no-such-route");
        var message = await TestHost.AssertErrorAsync(response, 404, "not_found");
        Assert.Contains("docs/api.md", message);
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Right_method_is_not_affected()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/v1/models")).StatusCode);
        await TestHost.AssertErrorAsync(await _host.PostAsync($"/v1/jobs/{Guid.NewGuid()}"), 404, "not_found");
    }
}
