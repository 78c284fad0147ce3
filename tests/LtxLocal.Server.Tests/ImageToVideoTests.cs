using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>Image-to-video by multipart upload, data URI and URL (a real server on 127.0.0.1); the generator receives the decoded pixels.</summary>
public sealed class ImageToVideoTests : IAsyncLifetime
{
    private readonly TestHost _host = new();
    private LocalWebServer _web = null!;

    public async Task InitializeAsync() => _web = await LocalWebServer.StartAsync();
    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _host.DisposeAsync();
    }

    private async Task AssertGeneratorGotTheImage(string id, int width, int height)
    {
        await _host.WaitForAsync(id, "completed");
        var image = Assert.Single(_host.Generator.Images.Last());
        Assert.Equal((width, height, 0), (image.Width, image.Height, image.FrameIndex));
        Assert.Equal(TestImages.Gradient(width, height), image.Rgb);
    }

    [Fact]
    public async Task Multipart_upload_queues_a_job_sized_like_the_image()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Lightricks/LTX-2"), "model" },
            { new StringContent("waves"), "prompt" },
            { new StringContent("4"), "duration" },
            { new StringContent("false"), "generate_audio" },
        };
        var file = new ByteArrayContent(TestImages.Png(96, 64));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "start.png");
        var response = await _host.Client.PostAsync("/v1/image-to-video", form);
        var body = await TestHost.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("96x64", (string?)body["parameters"]!["resolution"]);
        Assert.Equal(1, (int)body["parameters"]!["conditioning_images"]!);
        await AssertGeneratorGotTheImage((string)body["id"]!, 96, 64);
    }

    [Fact]
    public async Task Data_uri_image_is_accepted()
    {
        var body = await _host.SubmitAsync(new { image_uri = TestImages.DataUri(TestImages.Png(64, 32)), resolution = (string?)null }, "/v1/image-to-video");
        Assert.Equal("64x32", (string?)body["parameters"]!["resolution"]);
        await AssertGeneratorGotTheImage((string)body["id"]!, 64, 32);
    }

    [Fact]
    public async Task Url_image_is_fetched_from_an_allowed_local_server()
    {
        var url = _web.Serve("/cat.png", TestImages.Png(64, 64));
        var body = await _host.SubmitAsync(new { image_uri = url }, "/v1/image-to-video");
        await AssertGeneratorGotTheImage((string)body["id"]!, 64, 64);
        Assert.Contains(_web.Received, r => r.Path == "/cat.png");
    }

    [Fact]
    public async Task Keyframes_are_placed_first_last_and_by_index()
    {
        var uri = TestImages.DataUri(TestImages.Png(32, 32));
        var body = await _host.SubmitAsync(new
        {
            image_uri = uri,
            frame_images = new object[] { new { image_uri = uri, frame = "last" }, new { image_uri = uri, frame = 40 }, new { image_uri = uri, frame = 500 } },
        }, "/v1/image-to-video");
        await _host.WaitForAsync((string)body["id"]!, "completed");
        Assert.Equal([0, 96, 40, 96], _host.Generator.Requests.Last().Images.Select(i => i.FrameIndex));
        var moved = body["adjustments"]!.AsArray().Single()!;
        Assert.Equal(("frame_images[2].frame", 500, 96), ((string?)moved["field"], (int)moved["requested"]!, (int)moved["applied"]!));
    }

    [Fact]
    public async Task Loopback_url_is_refused_when_not_allowed_by_configuration()
    {
        await using var strict = new TestHost(new() { ["Ltx:Outbound:AllowedNetworks:0"] = null });
        var url = _web.Serve("/x.png", TestImages.Png(8, 8));
        var request = TestHost.Request(new { image_uri = url });
        var message = await TestHost.AssertErrorAsync(await strict.PostJsonAsync("/v1/image-to-video", request), 400, "invalid_request_error");
        Assert.Contains("image_uri", message);
        Assert.DoesNotContain(_web.Received, r => r.Path == "/x.png");
    }

    [Fact]
    public async Task A_localhost_name_is_refused_like_its_address()
    {
        await using var strict = new TestHost(new() { ["Ltx:Outbound:AllowedNetworks:0"] = null, ["Ltx:Outbound:AllowedHosts:0"] = null });
        var url = _web.Serve("/y.png", TestImages.Png(8, 8)).Replace("127.0.0.1", "localhost");
        await TestHost.AssertErrorAsync(await strict.PostJsonAsync("/v1/image-to-video", TestHost.Request(new { image_uri = url })), 400, "invalid_request_error");
        Assert.DoesNotContain(_web.Received, r => r.Path == "/y.png");
    }

    [Fact]
    public async Task Webhook_is_signed_and_upload_receives_the_video()
    {
        await using var host = new TestHost(new() { ["Ltx:Webhooks:Secret"] = "s3cret" });
        var body = await host.SubmitAsync(new { webhook_url = _web.BaseUrl + "/hook", upload_url = _web.BaseUrl + "/bucket/video.mp4" });
        var id = (string)body["id"]!;
        await host.WaitForAsync(id, "completed");
        for (var i = 0; i < 100 && !_web.Received.Any(r => r.Path == "/hook"); i++) await Task.Delay(50);
        var hook = _web.Received.Single(r => r.Path == "/hook");
        var payload = JsonNode.Parse(hook.Body)!;
        Assert.Equal((id, "completed"), ((string?)payload["id"], (string?)payload["status"]));
        Assert.Equal(LtxLocal.Server.Notifications.Notifier.Sign("s3cret", System.Text.Encoding.UTF8.GetString(hook.Body)), hook.Headers["X-LTX-Signature"]);
        var upload = _web.Received.Single(r => r.Path == "/bucket/video.mp4");
        Assert.Equal("PUT", upload.Method);
        Assert.Equal(await (await host.PostAsync($"/v1/jobs/{id}/download")).Content.ReadAsByteArrayAsync(), upload.Body);
        Assert.Equal("succeeded", (string?)payload["result"]!["upload"]!["status"]);
    }
}
