using System.Net;
using System.Net.Http.Headers;
using LtxLocal.Media;

namespace LtxLocal.Server.Tests;

/// <summary>Text-to-video end to end: 202 body, run to completion, status, download (full and ranged), ffprobe on the bytes.</summary>
public sealed class SubmissionTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Text_to_video_returns_202_with_the_documented_body()
    {
        var response = await _host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { seed = 1234 }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await TestHost.ReadAsync(response);
        Assert.True(Guid.TryParse((string?)body["id"], out _));
        Assert.Equal("queued", (string?)body["status"]);
        Assert.Equal(TestHost.ModelId, (string?)body["model"]);
        Assert.True(DateTimeOffset.TryParse((string?)body["created_at"], out _));
        var p = body["parameters"]!;
        Assert.Equal(("64x64", 4.0, 25.0, 97, 1234L), ((string?)p["resolution"], (double)p["duration"]!, (double)p["fps"]!, (int)p["num_frames"]!, (long)p["seed"]!));
        Assert.Null(body["adjustments"]);
        Assert.Equal($"/v1/jobs/{body["id"]}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Job_runs_to_completed_with_result_and_expiry()
    {
        var id = (string)(await _host.SubmitAsync(new { seed = 7 }))["id"]!;
        var job = await _host.WaitForAsync(id, "completed");
        var result = job["result"]!;
        Assert.Equal(("video/mp4", 64, 64, 97, false, 7L), ((string?)result["content_type"], (int)result["width"]!, (int)result["height"]!,
            (int)result["num_frames"]!, (bool)result["has_audio"]!, (long)result["seed"]!));
        Assert.Equal(97 / 25.0, (double)result["duration"]!, 3);
        Assert.True((long)result["bytes"]! > 0);
        Assert.Null(job["error"]);
        Assert.Null(job["queue_position"]);
        Assert.Equal(1.0, (double)job["progress"]!["fraction"]!);
        var completed = DateTimeOffset.Parse((string)job["completed_at"]!);
        Assert.Equal(completed.AddHours(24), DateTimeOffset.Parse((string)job["expires_at"]!));
    }

    [Theory]
    [InlineData("mp4", "video/mp4", "h264", "aac")]
    [InlineData("webm", "video/webm", "vp9", "opus")]
    [InlineData("mov", "video/quicktime", "h264", "aac")]
    public async Task Download_returns_the_video_that_ffprobe_confirms(string format, string contentType, string videoCodec, string audioCodec)
    {
        var id = (string)(await _host.SubmitAsync(new { output_format = format, generate_audio = true }))["id"]!;
        await _host.WaitForAsync(id, "completed");
        var response = await _host.PostAsync($"/v1/jobs/{id}/download");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var path = Path.Combine(_host.Root, $"download.{format}");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        var info = await new MediaProbe(FfmpegTools.Locate()).ProbeAsync(path, countFrames: true);
        Assert.Equal((videoCodec, 64, 64, 97L), (info.Video!.CodecName, info.Video.Width, info.Video.Height, info.Video.Frames ?? 0));
        Assert.Equal(25, info.Video.FrameRate, 3);
        Assert.Equal(audioCodec, info.Audio?.CodecName);
    }

    [Fact]
    public async Task Download_honours_range_requests_with_206()
    {
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(id, "completed");
        var full = await (await _host.PostAsync($"/v1/jobs/{id}/download")).Content.ReadAsByteArrayAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/jobs/{id}/download");
        request.Headers.Range = new RangeHeaderValue(10, 109);
        var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(full[10..110], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Number_results_queues_one_job_per_video_with_consecutive_seeds()
    {
        var body = await _host.SubmitAsync(new { number_results = 3, seed = 100 });
        var ids = body["ids"]!.AsArray().Select(i => (string)i!).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal((string?)body["id"], ids[0]);
        var seeds = new List<long>();
        foreach (var id in ids) seeds.Add((long)(await _host.StatusAsync(id))["parameters"]!["seed"]!);
        Assert.Equal([100L, 101L, 102L], seeds);
    }

    [Fact]
    public async Task Dry_run_returns_the_plan_and_queues_nothing()
    {
        var response = await _host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { dry_run = true, resolution = "100x100" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestHost.ReadAsync(response);
        Assert.Equal("dry_run", (string?)body["status"]);
        Assert.Equal("96x96", (string?)body["parameters"]!["resolution"]);
        Assert.Single(body["adjustments"]!.AsArray());
        Assert.Equal(0, _host.JobRowCount());
    }

    [Fact]
    public async Task Audio_is_generated_by_default()
    {
        var request = TestHost.Request();
        request.Remove("generate_audio");
        var response = await _host.PostJsonAsync("/v1/text-to-video", request);
        var id = (string)(await TestHost.ReadAsync(response))["id"]!;
        var job = await _host.WaitForAsync(id, "completed");
        Assert.True((bool)job["result"]!["has_audio"]!);
    }

    [Fact]
    public async Task A_failing_generation_fails_that_job_alone()
    {
        _host.Generator.FailWith = "simulated out of memory";
        var failed = (string)(await _host.SubmitAsync())["id"]!;
        var job = await _host.WaitForAsync(failed, "failed");
        Assert.Equal(("generation_error", "simulated out of memory"), ((string?)job["error"]!["type"], (string?)job["error"]!["message"]));
        Assert.Null(job["result"]);
        _host.Generator.FailWith = null;
        var next = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(next, "completed");
    }

    [Fact]
    public async Task Progress_reports_stage_step_and_fraction_while_running()
    {
        _host.Generator.Hold();
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.Generator.WaitForStartAsync();
        var job = await _host.WaitForAsync(id, "processing");
        await Task.Delay(300);
        job = await _host.StatusAsync(id);
        Assert.Equal("encoding_text", (string?)job["progress"]!["stage"]);
        Assert.NotNull(job["started_at"]);
        _host.Generator.Release();
        await _host.WaitForAsync(id, "completed");
    }
}
