using LtxLocal.Media;
using LtxLocal.Server.Testing;

namespace LtxLocal.Media.Tests;

/// <summary>Encodes tiny videos and lets ffprobe, not our own code, say what came out.</summary>
public sealed class EncodeTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    private const int Width = 64, Height = 48, Frames = 17;

    private async Task<MediaInfo> EncodeAndProbe(OutputFormat format, bool audio, double fps = 25)
    {
        var path = media.PathFor("out." + format.Extension());
        await using var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(Width, Height, fps, format, 80), path);
        var frame = TestImages.Gradient(Width, Height);
        for (var i = 0; i < Frames; i++) await encoder.WriteFrameAsync(frame);
        if (audio) encoder.SetAudio(Sine(24000, 2, seconds: 2), 24000, 2);
        await encoder.CompleteAsync();
        Assert.False(File.Exists(path + ".video-part"));
        return await new MediaProbe(media.Tools).ProbeAsync(path, countFrames: true);
    }

    private static float[] Sine(int rate, int channels, double seconds)
    {
        var pcm = new float[(int)(rate * seconds) * channels];
        for (var i = 0; i < pcm.Length; i++) pcm[i] = 0.3f * MathF.Sin(2 * MathF.PI * 440 * (i / channels) / rate);
        return pcm;
    }

    [Theory]
    [InlineData(OutputFormat.Mp4, "h264", "aac")]
    [InlineData(OutputFormat.Webm, "vp9", "opus")]
    [InlineData(OutputFormat.Mov, "h264", "aac")]
    public async Task Encoded_file_has_codec_size_frames_fps_duration_and_audio(OutputFormat format, string videoCodec, string audioCodec)
    {
        var info = await EncodeAndProbe(format, audio: true);
        var video = info.Video!;
        Assert.Equal(videoCodec, video.CodecName);
        Assert.Equal("yuv420p", video.PixelFormat);
        Assert.Equal((Width, Height), (video.Width, video.Height));
        Assert.Equal(Frames, video.Frames);
        Assert.Equal(25, video.FrameRate, 3);
        Assert.InRange(info.Duration, Frames / 25.0 - 0.05, Frames / 25.0 + 0.1);
        Assert.Equal(audioCodec, info.Audio?.CodecName);
        Assert.Equal(2, info.Audio!.Channels);
    }

    [Theory]
    [InlineData(OutputFormat.Mp4)]
    [InlineData(OutputFormat.Webm)]
    [InlineData(OutputFormat.Mov)]
    public async Task Without_audio_the_file_has_no_audio_stream(OutputFormat format)
    {
        var info = await EncodeAndProbe(format, audio: false, fps: 50);
        Assert.Null(info.Audio);
        Assert.Equal(Frames, info.Video!.Frames);
        Assert.Equal(50, info.Video.FrameRate, 3);
        Assert.InRange(info.Duration, Frames / 50.0 - 0.05, Frames / 50.0 + 0.05);
    }

    [Fact]
    public async Task Mp4_is_faststart_with_moov_before_mdat()
    {
        var path = media.PathFor("fast.mp4");
        await using (var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(Width, Height, 25, OutputFormat.Mp4), path))
        {
            await encoder.WriteFrameAsync(TestImages.Gradient(Width, Height));
            encoder.SetAudio(Sine(48000, 1, 1), 48000, 1);
            await encoder.CompleteAsync();
        }
        var head = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
        Assert.True(head.IndexOf("moov", StringComparison.Ordinal) < head.IndexOf("mdat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_frame_of_the_wrong_size_is_refused()
    {
        await using var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(Width, Height, 25, OutputFormat.Mp4), media.PathFor("x.mp4"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await encoder.WriteFrameAsync(new byte[10]));
    }

    [Fact]
    public void Odd_frame_sizes_are_refused_before_ffmpeg_starts() =>
        Assert.Throws<ArgumentException>(() => VideoEncoder.Start(media.Tools, new EncodeSettings(63, 48, 25, OutputFormat.Mp4), media.PathFor("x.mp4")));

    [Fact]
    public async Task Disposing_an_unfinished_encoder_leaves_no_files()
    {
        var path = media.PathFor("abandoned.mp4");
        await using (var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(Width, Height, 25, OutputFormat.Mp4), path))
            await encoder.WriteFrameAsync(TestImages.Gradient(Width, Height));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".video-part"));
    }

    [Theory]
    [InlineData(OutputFormat.Mp4, 20, 40)]
    [InlineData(OutputFormat.Mp4, 95, 17)]
    [InlineData(OutputFormat.Mp4, 99, 16)]
    [InlineData(OutputFormat.Webm, 20, 50)]
    [InlineData(OutputFormat.Webm, 95, 17)]
    [InlineData(OutputFormat.Webm, 99, 15)]
    public void Quality_maps_to_the_documented_crf(OutputFormat format, int quality, int crf) =>
        Assert.Equal(crf, QualityCurve.Crf(format, quality));

    [Fact]
    public async Task Higher_quality_gives_a_larger_file()
    {
        var sizes = new List<long>();
        foreach (var quality in new[] { 20, 99 })
        {
            var path = media.PathFor($"q{quality}.mp4");
            await using var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(128, 96, 25, OutputFormat.Mp4, quality), path);
            var random = new Random(1);
            for (var i = 0; i < 5; i++)
            {
                var frame = new byte[128 * 96 * 3];
                random.NextBytes(frame);
                await encoder.WriteFrameAsync(frame);
            }
            await encoder.CompleteAsync();
            sizes.Add(new FileInfo(path).Length);
        }
        Assert.True(sizes[1] > sizes[0], $"q99 {sizes[1]} bytes should exceed q20 {sizes[0]} bytes");
    }

    [Theory]
    [InlineData(OutputFormat.Webm, true)]
    [InlineData(OutputFormat.Webm, false)]
    [InlineData(OutputFormat.Mp4, true)]
    [InlineData(OutputFormat.Mov, true)]
    public async Task Two_runs_with_the_same_input_give_the_same_bytes(OutputFormat format, bool audio)
    {
        var files = new List<byte[]>();
        for (var run = 0; run < 2; run++)
        {
            var path = media.PathFor($"run{run}.{format.Extension()}");
            await using (var encoder = VideoEncoder.Start(media.Tools, new EncodeSettings(Width, Height, 25, format, 80), path))
            {
                for (var i = 0; i < Frames; i++) await encoder.WriteFrameAsync(TestImages.Gradient(Width, Height).Select(b => (byte)(b + i)).ToArray());
                if (audio) encoder.SetAudio(Sine(24000, 2, seconds: 1), 24000, 2);
                await encoder.CompleteAsync();
            }
            files.Add(File.ReadAllBytes(path));
            if (run == 0) await Task.Delay(1100); // a creation time in whole seconds would now differ
        }
        var first = files[0].Zip(files[1]).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second, ((default, default), -1)).i;
        Assert.True(files[0].AsSpan().SequenceEqual(files[1]), $"{format}: {files[0].Length} vs {files[1].Length} bytes, first difference at offset {first}");
    }
}
