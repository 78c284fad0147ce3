using System.Net;
using System.Net.Http.Headers;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Downloads and the Range header as RFC 9110 §14 says: 206 for one range, 206 multipart/byteranges for several, 416
/// with a body and bytes */N when none is satisfiable, the whole file for what is malformed or of another unit.
/// </summary>
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
    [InlineData("bytes=abc")]        // malformed: ignored
    [InlineData("bytes=9-3")]        // last before first: malformed, ignored
    [InlineData("items=0-9")]        // another unit: ignored
    public async Task Several_or_malformed_ranges_get_the_whole_file(string range)
    {
        var response = await Download(range);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_file, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-9,20-29", "0-9", "20-29")]
    [InlineData("bytes=20-29, 0-9", "0-9", "20-29")]          // parts in file order
    [InlineData("bytes=0-9,5-14,40-40,-5", "0-14", "40-40", "")] // overlaps merged; "" = the suffix, known once the length is
    [InlineData("bytes=0-9,999999999-,12-13", "0-9", "12-13")]  // an unsatisfiable range left out
    public async Task Several_ranges_are_a_206_multipart_with_one_part_per_range(string range, params string[] parts)
    {
        var response = await Download(range);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/byteranges", type.MediaType);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);

        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(body));
        var expected = parts.Select(p => p == "" ? $"{_file.Length - 5}-{_file.Length - 1}" : p).ToList();
        var seen = new List<string>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            Assert.Equal("video/mp4", section.ContentType);
            var contentRange = ContentRangeHeaderValue.Parse(section.Headers!["Content-Range"].ToString());
            Assert.Equal(_file.Length, contentRange.Length);
            using var bytes = new MemoryStream();
            await section.Body.CopyToAsync(bytes);
            Assert.Equal(_file[(int)contentRange.From!.Value..(int)(contentRange.To!.Value + 1)], bytes.ToArray());
            seen.Add($"{contentRange.From}-{contentRange.To}");
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Several_ranges_that_merge_into_one_are_a_plain_206()
    {
        var response = await Download("bytes=0-9,10-19,5-7");
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 0-19/{_file.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(_file[..20], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task More_ranges_than_the_part_limit_get_the_whole_file()
    {
        var range = "bytes=" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"{i * 3}-{i * 3}"));
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
