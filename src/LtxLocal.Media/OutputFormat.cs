namespace LtxLocal.Media;

/// <summary>The containers we write, with their codecs: MP4 (H.264 + AAC), WEBM (VP9 + Opus), MOV (H.264 + AAC).</summary>
public enum OutputFormat { Mp4, Webm, Mov }

public static class OutputFormats
{
    public static bool TryParse(string? text, out OutputFormat format)
    {
        switch (text)
        {
            case "mp4": format = OutputFormat.Mp4; return true;
            case "webm": format = OutputFormat.Webm; return true;
            case "mov": format = OutputFormat.Mov; return true;
            default: format = default; return false;
        }
    }

    public static string Extension(this OutputFormat format) => format switch
    {
        OutputFormat.Webm => "webm", OutputFormat.Mov => "mov", _ => "mp4",
    };

    public static string ContentType(this OutputFormat format) => format switch
    {
        OutputFormat.Webm => "video/webm", OutputFormat.Mov => "video/quicktime", _ => "video/mp4",
    };

    /// <summary>ffmpeg's muxer name (-f).</summary>
    internal static string Muxer(this OutputFormat format) => format switch
    {
        OutputFormat.Webm => "webm", OutputFormat.Mov => "mov", _ => "mp4",
    };
}

/// <summary>
/// Maps output_quality (20..99, higher is better) to a CRF, linearly between two anchors per
/// codec: H.264 quality 20 -> CRF 40, 99 -> CRF 16 (95, the default, -> 17, visually lossless);
/// VP9 quality 20 -> CRF 50, 99 -> CRF 15 (95 -> 17). The README documents this curve.
/// </summary>
public static class QualityCurve
{
    public const int MinQuality = 20, MaxQuality = 99;

    public static int Crf(OutputFormat format, int quality)
    {
        var q = Math.Clamp(quality, MinQuality, MaxQuality);
        var (worst, best) = format == OutputFormat.Webm ? (50.0, 15.0) : (40.0, 16.0);
        var t = (q - MinQuality) / (double)(MaxQuality - MinQuality);
        return (int)Math.Round(worst + (best - worst) * t, MidpointRounding.AwayFromZero);
    }
}
