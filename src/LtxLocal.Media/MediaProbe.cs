using System.Globalization;
using System.Text.Json;

namespace LtxLocal.Media;

/// <summary>What ffprobe says about a file: container, duration and its streams.</summary>
public sealed record MediaInfo(string FormatName, double Duration, IReadOnlyList<StreamInfo> Streams)
{
    public StreamInfo? Video => Streams.FirstOrDefault(s => s.CodecType == "video");
    public StreamInfo? Audio => Streams.FirstOrDefault(s => s.CodecType == "audio");
}

/// <summary>One stream. Frames is counted by decoding when the probe was asked to count.</summary>
public sealed record StreamInfo(
    string CodecType, string CodecName, int Width, int Height, string? PixelFormat,
    double FrameRate, long? Frames, int SampleRate, int Channels);

public sealed class MediaProbe(FfmpegTools tools)
{
    /// <param name="countFrames">decode the video to count frames exactly (WEBM has no frame count in its header)</param>
    public async Task<MediaInfo> ProbeAsync(string path, bool countFrames = false, CancellationToken cancellationToken = default)
    {
        var args = new List<string> { "-v", "error", "-print_format", "json", "-show_format", "-show_streams" };
        if (countFrames) args.Add("-count_frames");
        args.Add(path);
        var run = await ProcessRunner.RunAsync(tools.Ffprobe, args, null, cancellationToken);
        if (run.ExitCode != 0) throw new MediaException($"ffprobe could not read '{path}': {ProcessRunner.Tail(run.Stderr)}");
        return Parse(run.Stdout);
    }

    internal static MediaInfo Parse(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var streams = new List<StreamInfo>();
        if (root.TryGetProperty("streams", out var list))
        {
            foreach (var s in list.EnumerateArray())
            {
                streams.Add(new StreamInfo(
                    Str(s, "codec_type") ?? "", Str(s, "codec_name") ?? "", Int(s, "width"), Int(s, "height"),
                    Str(s, "pix_fmt"), Rate(Str(s, "avg_frame_rate") ?? Str(s, "r_frame_rate")),
                    Long(s, "nb_read_frames") ?? Long(s, "nb_frames"), Int(s, "sample_rate"), Int(s, "channels")));
            }
        }
        var duration = format.ValueKind == JsonValueKind.Object ? Dbl(Str(format, "duration")) : 0;
        return new MediaInfo(format.ValueKind == JsonValueKind.Object ? Str(format, "format_name") ?? "" : "", duration, streams);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static int Int(JsonElement e, string name) => (int)(Long(e, name) ?? 0);

    private static long? Long(JsonElement e, string name) =>
        long.TryParse(Str(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double Dbl(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static double Rate(string? fraction)
    {
        if (fraction is null) return 0;
        var parts = fraction.Split('/');
        var num = Dbl(parts[0]);
        var den = parts.Length > 1 ? Dbl(parts[1]) : 1;
        return den == 0 ? 0 : num / den;
    }
}
