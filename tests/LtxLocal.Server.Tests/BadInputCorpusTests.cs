using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Over 200 malformed requests, generated here: each must be a clean 4xx in the documented error
/// shape, create no job row, and leave the server healthy and able to run a good job afterwards.
/// </summary>
public sealed class BadInputCorpusTests
{
    private sealed record Case(string Name, string Path, Func<HttpContent> Body, int Status, string Type);

    private static double? Num(JsonNode? v) => v is JsonValue && double.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    private static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");
    private static HttpContent Json(JsonNode node) => Json(node.ToJsonString());

    private static HttpContent RawJson(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static IEnumerable<Case> Corpus(string loopbackUrl)
    {
        const string t2v = "/v1/text-to-video", i2v = "/v1/image-to-video";
        const int bad = 400;
        const string invalid = "invalid_request_error";
        string[] malformedJson = ["", "{", "}", "[", "nul", "{\"model\":", "{'model':'x'}", "{\"model\" \"x\"}", "{\"a\":1,}", "\u0000", "{\"prompt\":\"\\u12\"}", "{{}}", "[]", "123", "\"text\"", "null", "true", new string('[', 100) + new string(']', 100)];
        foreach (var (text, i) in malformedJson.Select((t, i) => (t, i)))
        {
            yield return new($"malformed json {i} t2v", t2v, () => Json(text), bad, invalid);
            yield return new($"malformed json {i} i2v", i2v, () => Json(text), bad, invalid);
        }
        JsonNode?[] wrongTypes = [1, true, new JsonArray(), new JsonObject(), "text", 1.5, -1];
        var typed = new Dictionary<string, Func<JsonNode?, bool>>
        {
            ["model"] = v => v is JsonValue jv && jv.TryGetValue<string>(out _),
            ["prompt"] = v => v is JsonValue jv && jv.TryGetValue<string>(out _),
            ["duration"] = v => Num(v) is not null, // any number is adjusted, never rejected
            ["resolution"] = v => false,
            ["fps"] = v => false,
            ["seed"] = v => Num(v) is 1,
            ["pipeline"] = v => false,
            ["steps"] = v => Num(v) is 1,
            ["guidance_scale"] = v => Num(v) is >= 1 and <= 20,
            ["generate_audio"] = v => v is JsonValue jv && jv.TryGetValue<bool>(out _),
            ["number_results"] = v => Num(v) is 1,
            ["output_format"] = v => false,
            ["output_quality"] = v => false,
            ["enhance_prompt"] = v => v is JsonValue jv && jv.TryGetValue<bool>(out _),
            ["dry_run"] = v => v is JsonValue jv && jv.TryGetValue<bool>(out _),
            ["negative_prompt"] = v => v is JsonValue jv && jv.TryGetValue<string>(out _),
            ["frame_images"] = v => v is JsonArray { Count: 0 },
            ["webhook_url"] = v => false,
            ["upload_url"] = v => false,
        };
        foreach (var (field, acceptable) in typed)
        foreach (var value in wrongTypes.Where(v => !acceptable(v)))
            yield return new($"{field} = {value?.ToJsonString()}", t2v, () => Json(TestHost.Request().Also(b => b[field] = value?.DeepClone())), bad, invalid);

        foreach (var field in new[] { "model", "prompt" })
        {
            yield return new($"missing {field}", t2v, () => Json(TestHost.Request().Also(b => b.Remove(field))), bad, invalid);
            yield return new($"null {field}", t2v, () => Json(TestHost.Request().Also(b => b[field] = null)), bad, invalid);
            yield return new($"blank {field}", t2v, () => Json(TestHost.Request().Also(b => b[field] = "   ")), bad, invalid);
        }
        foreach (var model in new[] { "Lightricks/LTX-3", "ltx-2-19b", "../etc/passwd", "LTX", "x" })
            yield return new($"unknown model {model}", t2v, () => Json(TestHost.Request(new { model })), bad, invalid);
        yield return new("huge prompt", t2v, () => Json(TestHost.Request(new { prompt = new string('a', 10_001) })), bad, invalid);
        yield return new("huge negative prompt", t2v, () => Json(TestHost.Request(new { negative_prompt = new string('a', 20_000) })), bad, invalid);
        foreach (var r in new[] { "1280", "1280x", "x704", "1280*704", "axb", "0x704", "1280x0", "-1x5", "1280x704x3", "9999999x1", "1e3x1e3", "" })
            yield return new($"resolution {r}", t2v, () => Json(TestHost.Request(new { resolution = r })), bad, invalid);
        // Issue 15: digits \d matches but int.Parse does not (Arabic-Indic, fullwidth).
        foreach (var r in new[] { "٢٥٦x١٦٠", "２５６x１６０", "256x١٦٠" })
            yield return new($"resolution {r}", t2v, () => Json(TestHost.Request(new { resolution = r })), bad, invalid);
        // Issue 15: lone surrogate escapes and raw invalid UTF-8 inside JSON strings (bytes as sent, not re-encoded).
        foreach (var (field, raw) in new (string, byte[])[]
        {
            ("prompt", "\"\\ud800\""u8.ToArray()), ("model", "\"\\udfff\""u8.ToArray()), ("negative_prompt", "\"a\\udc00b\""u8.ToArray()),
            ("x\\ud800", "1"u8.ToArray()), ("prompt", [(byte)'"', 0xFF, (byte)'"']), ("prompt", [(byte)'"', 0xC3, 0x28, (byte)'"']),
            ("model", [(byte)'"', 0xC0, 0xAF, (byte)'"']), ("prompt", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"']),
        })
        {
            yield return new($"text {field} {Convert.ToHexString(raw)} t2v", t2v, () => RawJson(ProbeTextInputTests.WithRawField(field, raw)), bad, invalid);
            yield return new($"text {field} {Convert.ToHexString(raw)} i2v", i2v, () => RawJson(ProbeTextInputTests.WithRawField(field, raw)), bad, invalid);
        }
        foreach (var fps in new[] { 0, 1, 23, 30, 60, 100, -25 })
            yield return new($"fps {fps}", t2v, () => Json(TestHost.Request(new { fps })), bad, invalid);
        foreach (var seed in new[] { -1, 4294967296, 1e20 })
            yield return new($"seed {seed}", t2v, () => Json(TestHost.Request(new { seed })), bad, invalid);
        yield return new("seed fraction", t2v, () => Json(TestHost.Request(new { seed = 1.5 })), bad, invalid);
        foreach (var steps in new[] { 0, 101, -5 }) yield return new($"steps {steps}", t2v, () => Json(TestHost.Request(new { steps })), bad, invalid);
        foreach (var g in new[] { 0.5, 21, -1 }) yield return new($"guidance {g}", t2v, () => Json(TestHost.Request(new { guidance_scale = g })), bad, invalid);
        foreach (var n in new[] { 0, 5, 100 }) yield return new($"number_results {n}", t2v, () => Json(TestHost.Request(new { number_results = n })), bad, invalid);
        foreach (var q in new[] { 0, 19, 100 }) yield return new($"quality {q}", t2v, () => Json(TestHost.Request(new { output_quality = q })), bad, invalid);
        foreach (var f in new[] { "avi", "MP4", "gif", "" }) yield return new($"format {f}", t2v, () => Json(TestHost.Request(new { output_format = f })), bad, invalid);
        foreach (var p in new[] { "fast", "Distilled", "three-stage" }) yield return new($"pipeline {p}", t2v, () => Json(TestHost.Request(new { pipeline = p })), bad, invalid);
        string[] ssrf = ["http://127.0.0.1/x.png", "http://localhost/x.png", "http://10.0.0.1/x", "http://192.168.1.1/x", "http://172.16.0.1/x", "http://169.254.169.254/latest/meta-data",
            "http://[::1]/x", "http://[fe80::1]/x", "http://0.0.0.0/x", "http://100.64.0.1/x", "file:///etc/passwd", "ftp://example.com/x.png", "gopher://x", "not a url", "/relative.png",
            // Issue 15: documentation and benchmarking ranges, NAT64 and 6to4 wrappers of private addresses.
            "http://192.0.2.1/x", "http://198.51.100.1/x", "http://203.0.113.1/x", "http://198.18.0.1/x", "http://[2001:db8::1]/x", "http://[64:ff9b::a00:1]/x", "http://[2002:a00:1::1]/x"];
        foreach (var url in ssrf)
        {
            // Loopback is allowed in this test configuration (the local image server needs it); the other cases show the deny-list.
            if (url.Contains("127.0.0.1") || url.Contains("localhost")) continue;
            yield return new($"webhook {url}", t2v, () => Json(TestHost.Request(new { webhook_url = url })), bad, invalid);
            yield return new($"upload {url}", t2v, () => Json(TestHost.Request(new { upload_url = url })), bad, invalid);
            yield return new($"image_uri {url}", i2v, () => Json(TestHost.Request(new { image_uri = url })), bad, invalid);
        }
        yield return new("t2v with image_uri", t2v, () => Json(TestHost.Request(new { image_uri = TestImages.DataUri(TestImages.Png(8, 8)) })), bad, invalid);
        yield return new("i2v without image", i2v, () => Json(TestHost.Request()), bad, invalid);
        var images = new Dictionary<string, byte[]>
        {
            ["text"] = "not an image at all"u8.ToArray(),
            ["truncated png"] = TestImages.TruncatedPng(),
            ["decompression bomb"] = TestImages.DecompressionBomb(),
            ["empty"] = [],
            ["png header only"] = TestImages.Png(8, 8)[..16],
            ["random bytes"] = Enumerable.Range(0, 512).Select(i => (byte)(i * 37)).ToArray(),
            ["svg"] = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"u8.ToArray(),
            ["bmp width 0x80000000"] = TestImages.BmpWithWidth(0x80000000),
            ["bmp height 0x80000000"] = TestImages.BmpWithWidth(64, int.MinValue),
            ["png width 0x80000000"] = TestImages.PngHeader(unchecked((int)0x80000000), 8),
        };
        foreach (var (name, data) in images)
        {
            yield return new($"data uri {name}", i2v, () => Json(TestHost.Request(new { image_uri = TestImages.DataUri(data) })), bad, invalid);
            yield return new($"multipart {name}", i2v, () => Multipart(data), bad, invalid);
            yield return new($"url {name}", i2v, () => Json(TestHost.Request(new { image_uri = $"{loopbackUrl}/{Uri.EscapeDataString(name)}" })), bad, invalid);
            yield return new($"keyframe {name}", i2v, () => Json(TestHost.Request(new
            {
                image_uri = TestImages.DataUri(TestImages.Png(8, 8)),
                frame_images = new[] { new { image_uri = TestImages.DataUri(data), frame = "last" } },
            })), bad, invalid);
        }
        foreach (var uri in new[] { "data:text/plain;base64,aGVsbG8=", "data:image/png,notbase64", "data:image/png;base64,!!!!", "data:", "data:image/png;base64" })
            yield return new($"bad data uri {uri}", i2v, () => Json(TestHost.Request(new { image_uri = uri })), bad, invalid);
        yield return new("url 404", i2v, () => Json(TestHost.Request(new { image_uri = loopbackUrl + "/missing.png" })), bad, invalid);
        foreach (var (name, _) in Redirects)
            yield return new($"image_uri {name}", i2v, () => Json(TestHost.Request(new { image_uri = $"{loopbackUrl}/{name}" })), bad, invalid);
        yield return new("image_uri naming this machine", i2v, () => Json(TestHost.Request(new { image_uri = $"http://{System.Net.Dns.GetHostName()}:9/x.png" })), bad, invalid);
        foreach (var frame in new object[] { "middle", -1, 1.5, true })
            yield return new($"keyframe frame {frame}", i2v, () => Json(TestHost.Request(new { image_uri = TestImages.DataUri(TestImages.Png(8, 8)), frame_images = new[] { new { image_uri = "data:x", frame } } })), bad, invalid);
        yield return new("keyframe not object", i2v, () => Json(TestHost.Request(new { image_uri = "x", frame_images = new[] { 1 } })), bad, invalid);
        yield return new("keyframes too many", i2v, () => Json(TestHost.Request(new { image_uri = "x", frame_images = Enumerable.Repeat(new { image_uri = "data:x", frame = 0 }, 9) })), bad, invalid);
        yield return new("text/plain body", t2v, () => new StringContent(TestHost.Request().ToJsonString(), Encoding.UTF8, "text/plain"), bad, invalid);
        yield return new("form-urlencoded body", t2v, () => new FormUrlEncodedContent([new("model", "x")]), bad, invalid);
        yield return new("multipart to t2v", t2v, () => Multipart(TestImages.Png(8, 8)), bad, invalid);
        yield return new("multipart two files", i2v, () => Multipart(TestImages.Png(8, 8), extraFile: true), bad, invalid);
        yield return new("multipart and image_uri", i2v, () => Multipart(TestImages.Png(8, 8), imageUri: TestImages.DataUri(TestImages.Png(8, 8))), bad, invalid);
        yield return new("multipart duration text", i2v, () => Multipart(TestImages.Png(8, 8), duration: "five"), bad, invalid);
        yield return new("oversize json body", t2v, () => Json(TestHost.Request(new { padding = new string('x', 300_000) })), 413, "request_too_large");
        yield return new("oversize multipart body", i2v, () => Multipart(new byte[300_000]), 413, "request_too_large");
        yield return new("oversize data uri", i2v, () => Json(TestHost.Request(new { image_uri = "data:image/png;base64," + new string('A', 290_000) })), 413, "request_too_large");
    }

    /// <summary>Paths on the local server that redirect where an image fetch must not follow (issue 15).</summary>
    private static readonly (string Path, string Location)[] Redirects =
    [
        ("redirect-to-file", "file:///etc/passwd"), ("redirect-to-data", "data:image/png;base64,iVBORw0KGgo="),
        ("redirect-to-metadata", "http://169.254.169.254/latest/meta-data"), ("redirect-to-ftp", "ftp://example.com/x.png"),
    ];

    private static HttpContent Multipart(byte[] image, bool extraFile = false, string? imageUri = null, string duration = "4")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Lightricks/LTX-2"), "model" }, { new StringContent("a prompt"), "prompt" }, { new StringContent(duration), "duration" },
        };
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "image.png");
        if (extraFile) form.Add(new ByteArrayContent(image), "other", "other.png");
        if (imageUri is not null) form.Add(new StringContent(imageUri), "image_uri");
        return form;
    }

    [Fact]
    public async Task Every_bad_request_is_a_clean_4xx_that_changes_nothing()
    {
        await using var web = await LocalWebServer.StartAsync();
        await using var host = new TestHost(new() { ["Ltx:MaxBodyBytes"] = "200000", ["Ltx:MaxImageBytes"] = "150000" });
        var cases = Corpus(web.BaseUrl).ToList();
        // The URL cases fetch these bytes from the local server.
        foreach (var c in cases.Where(c => c.Name.StartsWith("url ")))
            web.Serve("/" + Uri.EscapeDataString(c.Name[4..]), c.Name == "url 404" ? [] : ImageFor(c.Name[4..]));
        web.Files.TryRemove("/missing.png", out _);
        foreach (var (path, location) in Redirects) web.Redirects["/" + path] = location;
        Assert.True(cases.Count >= 200, $"the corpus has only {cases.Count} cases");

        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var content = c.Body();
            var response = await host.Client.PostAsync(c.Path, content);
            try
            {
                var message = await TestHost.AssertErrorAsync(response, c.Status, c.Type);
                if (message.Contains("Exception", StringComparison.Ordinal)) failures.Add($"{c.Name}: leaks an exception name: {message}");
            }
            catch (Exception e)
            {
                failures.Add($"{c.Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures));
        Assert.Equal(0, host.JobRowCount());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(host.DataDir, "inputs")));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Anonymous().GetAsync("/health")).StatusCode);
        var id = (string)(await host.SubmitAsync())["id"]!;
        await host.WaitForAsync(id, "completed");
    }

    private static byte[] ImageFor(string name) => name switch
    {
        "text" => "not an image at all"u8.ToArray(),
        "truncated png" => TestImages.TruncatedPng(),
        "decompression bomb" => TestImages.DecompressionBomb(),
        "png header only" => TestImages.Png(8, 8)[..16],
        "random bytes" => Enumerable.Range(0, 512).Select(i => (byte)(i * 37)).ToArray(),
        "svg" => "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"u8.ToArray(),
        "bmp width 0x80000000" => TestImages.BmpWithWidth(0x80000000),
        "bmp height 0x80000000" => TestImages.BmpWithWidth(64, int.MinValue),
        "png width 0x80000000" => TestImages.PngHeader(unchecked((int)0x80000000), 8),
        _ => [],
    };
}

/// <summary>With the default outbound rules, loopback URLs are refused for images, webhooks and uploads alike.</summary>
public sealed class DefaultDenyListTests
{
    [Theory]
    [InlineData("image_uri", "/v1/image-to-video")]
    [InlineData("webhook_url", "/v1/text-to-video")]
    [InlineData("upload_url", "/v1/text-to-video")]
    public async Task Loopback_is_denied_without_test_configuration(string field, string path)
    {
        await using var host = new TestHost(new() { ["Ltx:Outbound:AllowedNetworks:0"] = null });
        foreach (var url in new[] { "http://127.0.0.1:9/x.png", "http://localhost:9/x.png", "http://[::1]:9/x.png" })
        {
            var body = TestHost.Request().Also(b => b[field] = url);
            var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync(path, body), 400, "invalid_request_error");
            Assert.Contains(field, message);
        }
        Assert.Equal(0, host.JobRowCount());
    }
}
