using System.Globalization;
using System.Runtime.InteropServices;

namespace LtxLocal.Media;

/// <summary>
/// Decodes the first audio stream of a file with ffmpeg to float PCM at the file's own sample rate and channel count
/// (as the reference's decode_audio_from_file returns it; surround layouts are downmixed to stereo by ffmpeg, since
/// the audio VAE takes two channels). Accepted codecs: PCM (WAV), MP3, AAC (ADTS, M4A/MP4), FLAC, Vorbis and Opus
/// (OGG, WebM/Matroska): audio files and the soundtracks of video files. Anything else — not audio, another codec, a
/// truncated or corrupt file, no samples at all, a file over <see cref="AudioLimits.MaxBytes"/> — raises
/// <see cref="AudioRejectedException"/> before or instead of decoding. At most <see cref="AudioLimits.MaxSeconds"/> are
/// decoded: a longer file is read up to there (the caller clamps the clip to what the model takes anyway).
/// </summary>
public sealed class AudioFileDecoder(FfmpegTools tools, AudioLimits limits)
{
    private static readonly HashSet<string> Codecs = ["mp3", "aac", "flac", "vorbis", "opus", "alac"];

    /// <summary>Decodes bytes (an upload) through a temporary file.</summary>
    public async Task<DecodedAudio> DecodeAsync(byte[] data, double startSeconds = 0, double? maxSeconds = null, CancellationToken cancellationToken = default)
    {
        if (data.Length == 0) throw new AudioRejectedException("the audio file is empty");
        if (data.Length > limits.MaxBytes) throw new AudioRejectedException($"the audio file is {data.Length} bytes; the limit is {limits.MaxBytes}");
        var path = Path.Combine(Path.GetTempPath(), $"ltx-audio-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, data, cancellationToken);
        try
        {
            return await DecodeFileAsync(path, startSeconds, maxSeconds, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Samples from <paramref name="startSeconds"/> for at most <paramref name="maxSeconds"/> (the whole stream when null),
    /// cut at round(t · rate) samples as the reference cuts them.
    /// </summary>
    public async Task<DecodedAudio> DecodeFileAsync(string path, double startSeconds = 0, double? maxSeconds = null, CancellationToken cancellationToken = default)
    {
        if (startSeconds < 0 || maxSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(startSeconds), "the start must be >= 0 and the length > 0");
        var length = new FileInfo(path).Length;
        if (length == 0) throw new AudioRejectedException("the audio file is empty");
        if (length > limits.MaxBytes) throw new AudioRejectedException($"the audio file is {length} bytes; the limit is {limits.MaxBytes}");
        CheckWavLength(path);

        var stream = await ProbeAsync(path, cancellationToken);
        int channels = Math.Min(stream.Channels, 2);
        double window = Math.Min(limits.MaxSeconds, startSeconds + (maxSeconds ?? limits.MaxSeconds));
        var run = await ProcessRunner.RunAsync(tools.Ffmpeg,
        [
            "-v", "error", "-xerror", "-i", path, "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-t", window.ToString("R", CultureInfo.InvariantCulture),
            "-ar", stream.SampleRate.ToString(CultureInfo.InvariantCulture), "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1",
        ], null, cancellationToken);
        if (run.ExitCode != 0)
            throw new AudioRejectedException($"the audio could not be decoded (corrupt or truncated {stream.CodecName}): {ProcessRunner.Tail(run.Stderr, 2)}".TrimEnd(' ', ':'));

        var samples = MemoryMarshal.Cast<byte, float>(run.Stdout.AsSpan(0, run.Stdout.Length - run.Stdout.Length % (4 * channels)));
        long frames = samples.Length / channels;
        if (frames == 0) throw new AudioRejectedException("the audio has no samples (0 seconds)");
        long first = Math.Min(frames, (long)Math.Round(startSeconds * stream.SampleRate, MidpointRounding.ToEven));
        long count = frames - first;
        if (maxSeconds is double max) count = Math.Min(count, (long)Math.Round(max * stream.SampleRate, MidpointRounding.ToEven));
        if (count <= 0) throw new AudioRejectedException($"the audio ends at {(double)frames / stream.SampleRate:0.###} s, before the requested start {startSeconds:0.###} s");
        var kept = samples.Slice((int)(first * channels), (int)(count * channels)).ToArray();
        return new DecodedAudio(kept, stream.SampleRate, channels, stream.CodecName);
    }

    private async Task<StreamInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var run = await ProcessRunner.RunAsync(tools.Ffprobe,
            ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path], null, cancellationToken);
        MediaInfo info;
        try
        {
            info = MediaProbe.Parse(run.Stdout);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new AudioRejectedException("the file is not readable audio");
        }
        if (run.ExitCode != 0)
            throw new AudioRejectedException($"the file is not readable audio (corrupt, truncated or another format): {ProcessRunner.Tail(run.Stderr, 1)}".TrimEnd(' ', ':'));
        var audio = info.Audio ?? throw new AudioRejectedException("the file has no audio stream");
        if (!audio.CodecName.StartsWith("pcm_", StringComparison.Ordinal) && !Codecs.Contains(audio.CodecName))
            throw new AudioRejectedException($"unsupported audio codec '{audio.CodecName}'; use WAV, MP3, AAC/M4A, FLAC or OGG (Vorbis/Opus)");
        if (audio.SampleRate <= 0 || audio.Channels <= 0)
            throw new AudioRejectedException("the audio stream has no readable sample rate or channel count (corrupt or truncated)");
        return audio;
    }

    private static void CheckWavLength(string path)
    {
        using var file = File.OpenRead(path);
        if (WavHeader.DataChunk(file) is var (declared, present) && present < declared)
            throw new AudioRejectedException($"the WAV file is truncated: its header declares {declared} bytes of samples, the file holds {present}");
    }
}
