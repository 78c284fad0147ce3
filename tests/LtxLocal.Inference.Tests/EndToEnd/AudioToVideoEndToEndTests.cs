using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// POST /v1/audio-to-video through HTTP with the tiny model on the CPU: soundtracks made here by ffmpeg (a WAV, an MP3
/// sent as a data URI, a 48 kHz FLAC) drive 64x64 clips whose duration follows the audio and whose audio stream decodes
/// to the input's samples (both decoded by ffmpeg at the input's rate and channels; the output's is AAC, so within its
/// coding error); the same seed gives the same bytes; bad soundtracks are 400s that leave no job row and no file.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class AudioToVideoEndToEndTests(TinyModelServer server) : IClassFixture<TinyModelServer>
{
    private const double Fps = 25;

    private static Dictionary<string, string> Fields(long seed) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a drummer on a rooftop", ["resolution"] = "64x64", ["fps"] = "25", ["seed"] = $"{seed}",
    };

    private async Task<JsonObject> PostAsync(HttpContent content)
    {
        var response = await server.Client.PostAsync("/v1/audio-to-video", content);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        return json;
    }

    [Fact]
    public async Task Clips_follow_wav_mp3_and_flac_soundtracks_and_carry_them()
    {
        var wav = await SourceMediaFiles.SweepAsync(Path.Combine(server.Root, "sweep.wav"), 4.2, 44100, 2);
        var mp3 = await SourceMediaFiles.SweepAsync(Path.Combine(server.Root, "sweep.mp3"), 4.5, 44100, 1, "-c:a", "libmp3lame", "-b:a", "192k");
        var flac = await SourceMediaFiles.SweepAsync(Path.Combine(server.Root, "sweep.flac"), 4.0, 48000, 2, "-c:a", "flac");
        var inputs = new (string Path, int Rate, int Channels)[] { (wav, 44100, 2), (mp3, 44100, 1), (flac, 48000, 2) };

        // Queued together (the WAV twice with one seed), then awaited: one worker runs them in order.
        var jobs = new List<JsonObject>();
        foreach (var (path, _, _) in inputs)
        {
            var bytes = await File.ReadAllBytesAsync(path);
            if (path.EndsWith(".mp3"))
                jobs.Add(await server.SubmitAsync(new JsonObject
                {
                    ["model"] = "Lightricks/LTX-2", ["prompt"] = "a drummer on a rooftop", ["resolution"] = "64x64", ["fps"] = 25, ["seed"] = 7,
                    ["audio_uri"] = "data:audio/mpeg;base64," + Convert.ToBase64String(bytes),
                }, "/v1/audio-to-video"));
            else
                jobs.Add(await PostAsync(SourceMediaFiles.Multipart(Fields(7), "audio", bytes, Path.GetFileName(path))));
        }
        var again = await PostAsync(SourceMediaFiles.Multipart(Fields(7), "audio", await File.ReadAllBytesAsync(wav), "sweep.wav"));

        var outputs = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var (path, rate, channels) = inputs[i];
            var id = (string)jobs[i]["id"]!;
            await server.CompletedAsync(id);
            var output = await server.DownloadAsync(id);
            outputs.Add(output);
            var input = await SourceMediaFiles.PcmAsync(path, rate, channels);
            double seconds = input.Length / (double)channels / rate;

            Assert.Equal(seconds, (double)jobs[i]["parameters"]!["duration"]!, 3);
            var info = await server.Probe.ProbeAsync(output, countFrames: true);
            Assert.Equal((64, 64), (info.Video!.Width, info.Video.Height));
            Assert.Equal((int)jobs[i]["parameters"]!["num_frames"]!, info.Video.Frames);
            Assert.True(Math.Abs(info.Video.Frames!.Value / Fps - seconds) <= 4.5 / Fps, $"{info.Video.Frames} frames for {seconds} s of audio");
            Assert.NotNull(info.Audio);

            var carried = await SourceMediaFiles.PcmAsync(output, rate, channels);
            int compared = (int)Math.Min(carried.Length, input.Length) - 2048 * channels;
            Assert.True(compared > rate * channels * 3.5, $"only {compared} samples to compare");
            double error = 0, signal = 0;
            for (int s = 0; s < compared; s++)
            {
                error += (carried[s] - input[s]) * (carried[s] - input[s]);
                signal += input[s] * input[s];
            }
            Assert.True(Math.Sqrt(error / signal) < 0.05, $"{Path.GetExtension(path)}: the output's audio differs from the input by {Math.Sqrt(error / signal):P2} (RMS)");
        }

        var againId = (string)again["id"]!;
        await server.CompletedAsync(againId);
        Assert.Equal(await File.ReadAllBytesAsync(outputs[0]), await File.ReadAllBytesAsync(await server.DownloadAsync(againId)));
    }

    [Fact]
    public async Task Bad_soundtracks_are_400s_that_leave_nothing_behind()
    {
        var wav = await File.ReadAllBytesAsync(await SourceMediaFiles.SweepAsync(Path.Combine(server.Root, "short.wav"), 1.0, 16000, 1));
        var silent = Path.Combine(server.Root, "empty.wav");
        await SourceMediaFiles.FfmpegAsync(["-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", silent]);
        var cases = new (string Name, byte[] Bytes, string Expected)[]
        {
            ("picture.png", TestImages.Png(32, 32), "no audio stream"),
            ("notes.txt", "not a soundtrack at all\n"u8.ToArray(), "not readable audio"),
            ("cut.wav", wav[..(wav.Length / 2)], "truncated"),
            ("empty.wav", await File.ReadAllBytesAsync(silent), "no samples"),
        };
        long rows = SourceMediaFiles.JobRows(server);
        var files = SourceMediaFiles.StoredFiles(server);
        foreach (var (name, bytes, expected) in cases)
        {
            var response = await server.Client.PostAsync("/v1/audio-to-video", SourceMediaFiles.Multipart(Fields(1), "audio", bytes, name));
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {body.ToJsonString()}");
            Assert.Equal("error", (string?)body["type"]);
            Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
            Assert.Contains(expected, (string)body["error"]!["message"]!);
            Assert.StartsWith("'audio'", (string)body["error"]!["message"]!);
        }
        Assert.Equal(rows, SourceMediaFiles.JobRows(server));
        Assert.Equal(files, SourceMediaFiles.StoredFiles(server));
    }
}
