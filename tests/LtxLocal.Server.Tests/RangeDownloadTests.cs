using System.Net;
using System.Net.Http.Headers;

namespace LtxLocal.Server.Tests;

/// <summary>Downloads and the Range header as RFC 9110 §14 says: 206 for one range, 416 with a body and bytes */N, the whole file otherwise.</summary>
public sealed class RangeDownloadTests : IAsyncLifetime
{
    private readonly TestHost _host = new();
    private string _id = null!;
    private byte[] _file = null!;

    public async Task InitializeAsync()
    {
        _id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(_id, "completed");
        _file = await (await _host.PostAsync($"/v1/jobs/{_id}/download")).Content.ReadAsByteArrayAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> Download(string range)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{_id}/download");
        request.Headers.TryAddWithoutValidation("Range", range);
        return _host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("bytes=999999999-")]
    [InlineData("bytes=-0")]
    public async Task An_unsatisfiable_range_is_a_416_with_the_error_body_and_the_length(string range)
    {
        var response = await Download(range);
        var message = await TestHost.AssertErrorAsync(response, 416, "range_not_satisfiable");
        Assert.Contains(_file.Length.ToString(), message);
        Assert.Equal($"bytes */{_file.Length}", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("bytes=0-9,20-29")]  // several ranges: the whole file rather than a mismatched part
    [InlineData("bytes=abc")]        // malformed: ignored
    [InlineData("bytes=9-3")]        // last before first: malformed, ignored
    [InlineData("items=0-9")]        // another unit: ignored
    public async Task Several_or_malformed_ranges_get_the_whole_file(string range)
    {
        var response = await Download(range);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_file, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_suffix_range_longer_than_the_file_is_the_whole_file_as_206()
    {
        var response = await Download($"bytes=-{_file.Length + 100}");
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 0-{_file.Length - 1}/{_file.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(_file, await response.Content.ReadAsByteArrayAsync());
    }
}
