using System.Globalization;
using LtxLocal.Media;

namespace LtxLocal.Media.Tests;

/// <summary>Audio decoding through ffmpeg on files ffmpeg's lavfi generates here: rates, channels, samples, and refusals.</summary>
public sealed class AudioFileDecoderTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    private AudioFileDecoder Decoder(AudioLimits? limits = null) => new(media.Tools, limits ?? new AudioLimits());

    // A tone of amplitude 1/8 on every channel, written by ffmpeg's aevalsrc in the container and codec the extension picks.
    private string Sine(string extension, int rate, double seconds, int channels, double hz = 440, params string[] codec)
    {
        var path = media.PathFor("sine." + extension);
        var tone = $"0.125*sin(2*PI*{hz.ToString(CultureInfo.InvariantCulture)}*t)";
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i",
            $"aevalsrc=exprs={string.Join("|", Enumerable.Repeat(tone, channels))}:s={rate}:d={seconds.ToString(CultureInfo.InvariantCulture)}" };
        args.AddRange(codec);
        args.Add(path);
        media.RunFfmpeg(args.ToArray());
        return path;
    }

    [Fact]
    public async Task Wav_decodes_at_its_own_rate_and_channels_to_the_exact_tone()
    {
        var audio = await Decoder().DecodeFileAsync(Sine("wav", 22050, 0.5, 2));
        Assert.Equal((22050, 2, "pcm_s16le", 11025L), (audio.SampleRate, audio.Channels, audio.Codec, audio.Frames));
        for (int n = 0; n < audio.Frames; n += 97)
        {
            double expected = Math.Sin(2 * Math.PI * 440 * n / 22050) / 8;
            Assert.InRange(audio.Interleaved[2 * n], expected - 1e-4, expected + 1e-4);
            Assert.Equal(audio.Interleaved[2 * n], audio.Interleaved[2 * n + 1]);
        }
    }

    [Fact]
    public async Task Mono_flac_at_48k_stays_mono_at_48k()
    {
        var audio = await Decoder().DecodeAsync(File.ReadAllBytes(Sine("flac", 48000, 0.25, 1)));
        Assert.Equal((48000, 1, "flac", 12000L), (audio.SampleRate, audio.Channels, audio.Codec, audio.Frames));
        Assert.InRange(audio.Interleaved.Max(), 0.12f, 0.13f);
    }

    [Fact]
    public async Task Mp3_decodes_to_about_its_duration()
    {
        var audio = await Decoder().DecodeFileAsync(Sine("mp3", 44100, 1.0, 2));
        Assert.Equal((44100, 2, "mp3"), (audio.SampleRate, audio.Channels, audio.Codec));
        Assert.InRange(audio.Frames, 44100 - 1152, 44100 + 2 * 1152);   // encoder delay and padding, one frame each way
    }

    [Fact]
    public async Task A_window_is_cut_at_rounded_sample_positions()
    {
        var path = Sine("wav", 16000, 1.0, 1, 250);
        var whole = await Decoder().DecodeFileAsync(path);
        var window = await Decoder().DecodeFileAsync(path, startSeconds: 0.1, maxSeconds: 0.25);
        Assert.Equal(4000, window.Frames);
        Assert.Equal(whole.Interleaved.AsSpan(1600, 4000).ToArray(), window.Interleaved);
        var capped = await Decoder(new AudioLimits(MaxSeconds: 0.5)).DecodeFileAsync(path);
        Assert.Equal(8000, capped.Frames);
    }

    [Fact]
    public async Task Not_audio_is_refused()
    {
        var text = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeAsync("this is not audio at all\n"u8.ToArray()));
        Assert.Contains("not readable audio", text.Message);
        var image = media.PathFor("red.png");
        media.RunFfmpeg("-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", image);
        var noAudio = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeFileAsync(image));
        Assert.Contains("no audio stream", noAudio.Message);
        var ac3 = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeFileAsync(Sine("ac3", 48000, 0.2, 2)));
        Assert.Contains("unsupported audio codec 'ac3'", ac3.Message);
    }

    [Theory]
    [InlineData(0.5)]     // cut inside the samples, on a frame boundary: ffmpeg alone would decode it as a shorter clip
    [InlineData(0.3001)]  // cut inside a sample
    public async Task Truncated_wav_is_refused(double keep)
    {
        var bytes = File.ReadAllBytes(Sine("wav", 16000, 1.0, 2));
        int length = (int)(bytes.Length * keep);
        if (keep == 0.5) length -= (length - 44) % 4;
        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeAsync(bytes[..length]));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public async Task Wav_cut_inside_its_header_is_refused()
    {
        var bytes = File.ReadAllBytes(Sine("wav", 16000, 1.0, 2));
        await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeAsync(bytes[..30]));
    }

    [Fact]
    public async Task Zero_second_audio_is_refused()
    {
        var path = media.PathFor("empty.wav");
        media.RunFfmpeg("-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "0", path);
        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeFileAsync(path));
        Assert.Contains("no samples", error.Message);
        var empty = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder().DecodeAsync(Array.Empty<byte>()));
        Assert.Contains("empty", empty.Message);
    }

    [Fact]
    public async Task Files_over_the_byte_limit_are_refused_before_decoding()
    {
        var error = await Assert.ThrowsAsync<AudioRejectedException>(() => Decoder(new AudioLimits(MaxBytes: 1000)).DecodeFileAsync(Sine("wav", 16000, 1.0, 1)));
        Assert.Contains("limit", error.Message);
    }
}
