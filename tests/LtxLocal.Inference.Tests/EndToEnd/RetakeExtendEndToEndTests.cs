using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// POST /v1/retake and /v1/extend through HTTP with the tiny model on the CPU, on a clip a previous job produced: a
/// retake keeps the source's frame count, size and frame rate (uploaded, or as a data URI), an extension adds 2 s at the
/// end or the start with the source's frames passed through (within the H.264 re-encode), the same seed gives the same
/// bytes; a source without a video stream, a region starting past the end and an empty region are 400s that leave no
/// job row and no file.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class RetakeExtendEndToEndTests(TinyModelServer server) : IClassFixture<TinyModelServer>
{
    private const double Fps = 25;
    private const int Size = 64;

    private async Task<(string Path, int Frames)> SourceClipAsync()
    {
        var job = await server.SubmitAsync(new JsonObject
        {
            ["model"] = "Lightricks/LTX-2", ["prompt"] = "a boat crossing a lake", ["duration"] = 4, ["fps"] = Fps,
            ["resolution"] = $"{Size}x{Size}", ["generate_audio"] = true, ["seed"] = 5,
        });
        await server.CompletedAsync((string)job["id"]!);
        var path = await server.DownloadAsync((string)job["id"]!);
        var info = await server.Probe.ProbeAsync(path, countFrames: true);
        Assert.NotNull(info.Audio);
        return (path, (int)info.Video!.Frames!.Value);
    }

    private static Dictionary<string, string> Fields(long seed, params (string, string)[] more)
    {
        var fields = new Dictionary<string, string> { ["model"] = "Lightricks/LTX-2", ["prompt"] = "the boat turns around", ["seed"] = $"{seed}" };
        foreach (var (name, value) in more) fields[name] = value;
        return fields;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, HttpContent content)
    {
        var response = await server.Client.PostAsync(path, content);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private async Task<string> RunAsync(string path, HttpContent content)
    {
        var (status, body) = await PostAsync(path, content);
        Assert.True(status == HttpStatusCode.Accepted, body.ToJsonString());
        await server.CompletedAsync((string)body["id"]!);
        return await server.DownloadAsync((string)body["id"]!);
    }

    [Fact]
    public async Task Retake_and_extend_keep_the_source_clip()
    {
        var (source, frames) = await SourceClipAsync();
        var bytes = await File.ReadAllBytesAsync(source);

        var retakes = new List<string>();
        foreach (var _ in new[] { 1, 2 })
            retakes.Add(await RunAsync("/v1/retake", SourceMediaFiles.Multipart(Fields(9, ("start_time", "1"), ("end_time", "2")), "video", bytes, "clip.mp4")));
        var audioOnly = await RunAsync("/v1/retake", new StringContent(new JsonObject
        {
            ["model"] = "Lightricks/LTX-2", ["prompt"] = "rain on the water", ["seed"] = 9, ["start_time"] = 0.5, ["duration"] = 2,
            ["mode"] = "replace_audio", ["video_uri"] = "data:video/mp4;base64," + Convert.ToBase64String(bytes),
        }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(await File.ReadAllBytesAsync(retakes[0]), await File.ReadAllBytesAsync(retakes[1]));
        foreach (var retake in new[] { retakes[0], audioOnly })
        {
            var info = await server.Probe.ProbeAsync(retake, countFrames: true);
            Assert.Equal((Size, Size, frames), (info.Video!.Width, info.Video.Height, (int)info.Video.Frames!.Value));
            Assert.Equal(Fps, info.Video.FrameRate, 3);
            Assert.NotNull(info.Audio);
        }

        var sourceFrames = await SourceMediaFiles.FramesAsync(source);
        int frameBytes = Size * Size * 3, added = (int)Math.Round(2 * Fps);
        var extensions = new Dictionary<string, string>();
        foreach (var mode in new[] { "end", "start", "end" })
        {
            var output = await RunAsync("/v1/extend", SourceMediaFiles.Multipart(Fields(13, ("duration", "2"), ("mode", mode)), "video", bytes, "clip.mp4"));
            if (extensions.TryGetValue(mode, out var first))
            {
                Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(output));
                continue;
            }
            extensions[mode] = output;
            var info = await server.Probe.ProbeAsync(output, countFrames: true);
            Assert.Equal((Size, Size), (info.Video!.Width, info.Video.Height));
            Assert.True(Math.Abs((int)info.Video.Frames!.Value - (frames + added)) <= 1, $"{mode}: {info.Video.Frames} frames for {frames} + {added}");
            Assert.NotNull(info.Audio);

            // The source's frames pass through untouched but for the second H.264 encode: where they belong they are far
            // closer to the source than one frame off (the tiny model's frames are noise-like, so lossy coding is visible).
            var outFrames = await SourceMediaFiles.FramesAsync(output);
            int offset = mode == "end" ? 0 : (int)info.Video.Frames!.Value - frames;
            double Difference(int shift)
            {
                double sum = 0;
                int count = sourceFrames.Length - frameBytes;
                for (int i = 0; i < count; i++) sum += Math.Abs(sourceFrames[i] - outFrames[(offset + shift) * frameBytes + i]);
                return sum / count;
            }
            double aligned = Difference(0), shifted = Difference(1);
            Assert.True(aligned < 8 && aligned < shifted / 2,
                $"{mode}: the source's frames differ by {aligned:F2} levels on average where they belong, {shifted:F2} one frame off");
        }
    }

    [Fact]
    public async Task Bad_sources_and_regions_are_400s_that_leave_nothing_behind()
    {
        var wav = await File.ReadAllBytesAsync(await SourceMediaFiles.SweepAsync(Path.Combine(server.Root, "tone.wav"), 1.0, 16000, 1));
        var clip = Path.Combine(server.Root, "still.mp4");
        await SourceMediaFiles.FfmpegAsync(["-f", "lavfi", "-i", $"testsrc=s={Size}x{Size}:r=25:d=2", "-pix_fmt", "yuv420p", clip]);
        var video = await File.ReadAllBytesAsync(clip);
        var cases = new (string Path, byte[] Bytes, (string, string)[] Fields, string Expected)[]
        {
            ("/v1/retake", wav, [("start_time", "0"), ("end_time", "1")], "no video stream"),
            ("/v1/extend", wav, [("duration", "2")], "no video stream"),
            ("/v1/retake", video, [("start_time", "5"), ("end_time", "6")], "past the end"),
            ("/v1/retake", video, [("start_time", "1.5"), ("end_time", "1")], "'end_time' must be after 'start_time'"),
            ("/v1/retake", video, [("start_time", "1"), ("end_time", "1")], "'end_time' must be after 'start_time'"),
        };
        long rows = SourceMediaFiles.JobRows(server);
        var files = SourceMediaFiles.StoredFiles(server);
        foreach (var (path, bytes, fields, expected) in cases)
        {
            var (status, body) = await PostAsync(path, SourceMediaFiles.Multipart(Fields(1, fields), "video", bytes, "source"));
            Assert.True(status == HttpStatusCode.BadRequest, $"{path} {expected}: {body.ToJsonString()}");
            Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
            Assert.Contains(expected, (string)body["error"]!["message"]!);
        }
        Assert.Equal(rows, SourceMediaFiles.JobRows(server));
        Assert.Equal(files, SourceMediaFiles.StoredFiles(server));
    }
}
