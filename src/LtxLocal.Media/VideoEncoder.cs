using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LtxLocal.Media;

/// <summary>
/// What to encode: frame size and rate, container, output_quality (20..99), and the text of the container's comment tag
/// (MP4/MOV <c>comment</c>, WebM <c>COMMENT</c>; none when null).
/// </summary>
public sealed record EncodeSettings(int Width, int Height, double Fps, OutputFormat Format, int Quality = 95, string? Comment = null);

/// <summary>
/// Streams RGB24 frames into ffmpeg's stdin (no image files) and, when audio is given, muxes the
/// float PCM track in a second, copy-only pass. Frames may come before or after the audio, which
/// is why the audio is muxed at the end: the video pass never waits for it.
/// Use: Start, WriteFrameAsync per frame, optionally SetAudio, then CompleteAsync.
/// </summary>
public sealed class VideoEncoder : IAsyncDisposable
{
    private readonly FfmpegTools _tools;
    private readonly EncodeSettings _settings;
    private readonly string _outputPath;
    private readonly string _videoPart;
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private float[]? _audio;
    private int _sampleRate, _channels;
    private bool _completed;

    public int FramesWritten { get; private set; }

    private VideoEncoder(FfmpegTools tools, EncodeSettings settings, string outputPath)
    {
        if (settings.Width <= 0 || settings.Height <= 0 || settings.Width % 2 != 0 || settings.Height % 2 != 0)
            throw new ArgumentException($"frame size {settings.Width}x{settings.Height} must be positive and even (yuv420p)");
        if (settings.Fps <= 0) throw new ArgumentException("fps must be positive");
        _tools = tools;
        _settings = settings;
        _outputPath = outputPath;
        _videoPart = outputPath + ".video-part";
        _process = ProcessRunner.Start(tools.Ffmpeg, VideoPassArguments());
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public static VideoEncoder Start(FfmpegTools tools, EncodeSettings settings, string outputPath) => new(tools, settings, outputPath);

    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken = default)
    {
        var expected = _settings.Width * _settings.Height * 3;
        if (rgb24.Length != expected) throw new ArgumentException($"a frame must be {expected} bytes (RGB24 {_settings.Width}x{_settings.Height}); got {rgb24.Length}");
        try
        {
            await _process.StandardInput.BaseStream.WriteAsync(rgb24, cancellationToken);
        }
        catch (IOException e)
        {
            ProcessRunner.Kill(_process);
            throw new MediaException($"ffmpeg stopped accepting frames: {ProcessRunner.Tail(await _stderr)}", e);
        }
        FramesWritten++;
    }

    /// <summary>Keeps the track for the mux pass; it is cut or padded with silence to the video's length.</summary>
    public void SetAudio(ReadOnlySpan<float> interleavedPcm, int sampleRate, int channels)
    {
        if (sampleRate <= 0 || channels is < 1 or > 8) throw new ArgumentException("audio needs a positive sample rate and 1..8 channels");
        _audio = interleavedPcm.ToArray();
        _sampleRate = sampleRate;
        _channels = channels;
    }

    /// <summary>Finishes the file at the output path; returns that path.</summary>
    public async Task<string> CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (FramesWritten == 0) throw new MediaException("no frames were written");
        _process.StandardInput.Close();
        await using (cancellationToken.Register(() => ProcessRunner.Kill(_process)))
            await _process.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (_process.ExitCode != 0) throw new MediaException($"ffmpeg failed to encode the video: {ProcessRunner.Tail(await _stderr)}");
        if (_audio is null) File.Move(_videoPart, _outputPath, overwrite: true);
        else await MuxAudioAsync(cancellationToken);
        _completed = true;
        return _outputPath;
    }

    private async Task MuxAudioAsync(CancellationToken cancellationToken)
    {
        var audioPart = _outputPath + ".audio-part";
        try
        {
            await File.WriteAllBytesAsync(audioPart, MatchVideoLength(), cancellationToken);
            var args = new List<string>
            {
                "-hide_banner", "-v", "error", "-y", "-i", _videoPart,
                "-f", "f32le", "-ar", _sampleRate.ToString(), "-ac", _channels.ToString(), "-i", audioPart,
                "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy",
            };
            args.AddRange(_settings.Format == OutputFormat.Webm
                ? ["-c:a", "libopus", "-b:a", "128k", "-ar", "48000"]
                : ["-c:a", "aac", "-b:a", "192k"]);
            if (_settings.Format == OutputFormat.Mp4) args.AddRange(["-movflags", "+faststart"]);
            args.AddRange(Bitexact);
            args.AddRange(Metadata(_settings));
            args.AddRange(["-f", _settings.Format.Muxer(), _outputPath]);
            var run = await ProcessRunner.RunAsync(_tools.Ffmpeg, args, null, cancellationToken);
            if (run.ExitCode != 0) throw new MediaException($"ffmpeg failed to mux the audio: {ProcessRunner.Tail(run.Stderr)}");
        }
        finally
        {
            File.Delete(audioPart);
            File.Delete(_videoPart);
        }
    }

    /// <summary>The audio as f32le bytes, exactly as long as the video (frames / fps).</summary>
    private byte[] MatchVideoLength()
    {
        var samples = (long)Math.Round(FramesWritten / _settings.Fps * _sampleRate) * _channels;
        var pcm = new float[samples];
        _audio.AsSpan(0, (int)Math.Min(samples, _audio!.Length)).CopyTo(pcm);
        return MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray();
    }

    /// <summary>
    /// Same inputs, same bytes, in every container: no encoder version strings, creation times or random
    /// Matroska/WebM segment and track UIDs (which otherwise made two identical WebM runs differ).
    /// </summary>
    private static readonly string[] Bitexact = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"];

    /// <summary>The comment tag, set after -map_metadata -1 dropped everything else; both passes write it (the last one is the file).</summary>
    private static string[] Metadata(EncodeSettings s) => s.Comment is null ? [] : ["-metadata", $"comment={s.Comment}"];

    private List<string> VideoPassArguments()
    {
        var s = _settings;
        var fps = s.Fps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var crf = QualityCurve.Crf(s.Format, s.Quality).ToString();
        var args = new List<string>
        {
            "-hide_banner", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{s.Width}x{s.Height}", "-r", fps, "-i", "pipe:0", "-an",
        };
        args.AddRange(s.Format == OutputFormat.Webm
            ? ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", crf, "-b:v", "0", "-row-mt", "1", "-deadline", "good", "-cpu-used", "4"]
            : ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", crf, "-preset", "medium"]);
        if (s.Format == OutputFormat.Mp4) args.AddRange(["-movflags", "+faststart"]);
        args.AddRange(Bitexact);
        args.AddRange(Metadata(s));
        args.AddRange(["-f", s.Format.Muxer(), _videoPart]);
        return args;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessRunner.Kill(_process);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_videoPart);
        if (!_completed) File.Delete(_outputPath);
    }
}
