using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, smaller items: a JSON body with a byte order mark, and the real limit on multipart parts.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task A_json_body_that_starts_with_a_utf8_bom_is_accepted()
    {
        await using var host = new TestHost();
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(TestHost.Request().ToJsonString())];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await host.Client.PostAsync("/v1/text-to-video", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await host.WaitForAsync((string)(await TestHost.ReadAsync(response))["id"]!, "completed");
    }

    [Fact]
    public async Task A_thousand_multipart_parts_are_refused_naming_the_parts_limit()
    {
        await using var host = new TestHost();
        var form = new MultipartFormDataContent();
        for (var i = 0; i < 1000; i++) form.Add(new StringContent("x"), $"field{i}");
        var message = await TestHost.AssertErrorAsync(await host.Client.PostAsync("/v1/image-to-video", form), 413, "request_too_large");
        Assert.Contains("more than 64 parts", message);
        Assert.DoesNotContain("bytes", message);
    }
}
