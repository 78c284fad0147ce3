using System.Net.Http.Headers;
using System.Text;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Issue 15, defect 3 (the parser's share): text an outside probe sent that answered 500 — resolutions written with
/// non-ASCII digits, lone surrogate escapes, raw invalid UTF-8 inside a JSON string — and a BMP whose width field is
/// 0x80000000. Each is a 400 in the documented shape naming what is wrong, with no job row.
/// </summary>
public sealed class ProbeTextInputTests
{
    /// <summary>A JSON body built from raw bytes, so that escapes and invalid UTF-8 reach the server as written.</summary>
    private static HttpContent RawJson(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The good request's JSON with <paramref name="field"/> set to the JSON text <paramref name="rawValue"/> (inserted verbatim).</summary>
    internal static byte[] WithRawField(string field, byte[] rawValue)
    {
        var body = TestHost.Request().Also(b => b.Remove(field));
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        // {"model": ..., ...} -> {"<field>": <raw>, "model": ...}
        return [(byte)'{', .. Encoding.UTF8.GetBytes($"\"{field}\":"), .. rawValue, (byte)',', .. json[1..]];
    }

    [Theory]
    [InlineData("٢٥٦x١٦٠")]    // Arabic-Indic digits: \d matches them, int.Parse did not
    [InlineData("２５６x１６０")]  // fullwidth digits
    [InlineData("256x١٦٠")]
    [InlineData("۲۵۶x۱۶۰")]     // extended Arabic-Indic
    public async Task A_resolution_in_non_ascii_digits_is_a_400(string resolution)
    {
        await using var host = new TestHost();
        var response = await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { resolution }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("resolution", message);
        Assert.Contains("ASCII", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Theory]
    [InlineData("prompt", "\"\\ud800\"")]
    [InlineData("model", "\"\\udfff\"")]
    [InlineData("negative_prompt", "\"ok \\udc00 then\"")]
    [InlineData("prompt", "\"\\ud83d\\u0041\"")]    // a high surrogate followed by a non-surrogate
    [InlineData("prompt", "\"\\ud83d\"")]            // a high surrogate at the end
    public async Task A_lone_surrogate_escape_is_a_400_naming_the_field(string field, string rawValue)
    {
        await using var host = new TestHost();
        var response = await host.Client.PostAsync("/v1/text-to-video", RawJson(WithRawField(field, Encoding.ASCII.GetBytes(rawValue))));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains($"'{field}'", message);
        Assert.Contains("surrogate", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_field_name_is_a_400()
    {
        await using var host = new TestHost();
        var response = await host.Client.PostAsync("/v1/text-to-video", RawJson(WithRawField("x\\ud800", "1"u8.ToArray())));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("surrogate", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task A_well_formed_surrogate_pair_is_accepted()
    {
        await using var host = new TestHost();
        var response = await host.Client.PostAsync("/v1/text-to-video", RawJson(WithRawField("prompt", "\"a fox \\ud83e\\udd8a in snow\""u8.ToArray())));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)(await TestHost.ReadAsync(response))["id"]!;
        await host.WaitForAsync(id, "completed");
        Assert.Equal("a fox \U0001F98A in snow", host.Generator.Requests.Last().Prompt);
    }

    public static TheoryData<string, byte[]> InvalidUtf8 => new()
    {
        { "prompt", [(byte)'"', (byte)'a', 0xFF, (byte)'b', (byte)'"'] },            // a byte that never starts UTF-8
        { "prompt", [(byte)'"', 0xC3, 0x28, (byte)'"'] },                             // a lead byte without its continuation
        { "model", [(byte)'"', 0xC0, 0xAF, (byte)'"'] },                              // an overlong "/"
        { "negative_prompt", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'] },              // a surrogate encoded as UTF-8
        { "prompt", [(byte)'"', (byte)'x', 0xE2, 0x82, (byte)'"'] },                  // a truncated three-byte sequence
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Raw_invalid_utf8_inside_a_json_string_is_a_400(string field, byte[] rawValue)
    {
        await using var host = new TestHost();
        var response = await host.Client.PostAsync("/v1/text-to-video", RawJson(WithRawField(field, rawValue)));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("UTF-8", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task A_bmp_whose_width_field_is_0x80000000_is_a_400()
    {
        await using var host = new TestHost();
        var response = await host.PostJsonAsync("/v1/image-to-video",
            TestHost.Request(new { image_uri = TestImages.DataUri(TestImages.BmpWithWidth(0x80000000)) }));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains("image_uri", message);
        Assert.Equal(0, host.JobRowCount());
    }
}
