using System.Globalization;
using System.Text.RegularExpressions;
using LtxLocal.Media;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The numbers of <see cref="CellQuality"/>, each from ffmpeg's own filters and read from the summary it prints:
/// <c>ssim</c> and <c>psnr</c> of a cell against the reference (the cell scaled to the reference's size when they
/// differ), <c>tblend=all_mode=difference</c> + <c>signalstats</c> for the mean absolute difference of consecutive
/// frames, and <c>ebur128</c> for integrated loudness.
/// </summary>
public sealed partial class QualityMeter(FfmpegTools ffmpeg)
{
    [GeneratedRegex(@"SSIM .*All:([0-9.]+)")]
    private static partial Regex SsimSummary();

    [GeneratedRegex(@"PSNR .*average:(inf|[0-9.]+)")]
    private static partial Regex PsnrSummary();

    [GeneratedRegex(@"lavfi\.signalstats\.YAVG=([0-9.]+)")]
    private static partial Regex FrameYavg();

    [GeneratedRegex(@"Integrated loudness:\s*I:\s*(-?inf|-?[0-9.]+) LUFS")]
    private static partial Regex IntegratedLoudness();

    /// <summary>SSIM (All) and PSNR (average; null when ffmpeg says inf) of <paramref name="cell"/> against <paramref name="reference"/>.</summary>
    public async Task<(double Ssim, double? Psnr)> CompareAsync(string cell, string reference, int width, int height, CancellationToken token)
    {
        var graph = $"[0:v]scale={width}:{height}:flags=bicubic,setsar=1,split[c0][c1];[1:v]setsar=1,split[r0][r1];[c0][r0]ssim;[c1][r1]psnr";
        var stderr = await RunAsync(["-i", cell, "-i", reference, "-lavfi", graph, "-f", "null", "-"], token);
        var ssim = SsimSummary().Match(stderr);
        var psnr = PsnrSummary().Match(stderr);
        if (!ssim.Success || !psnr.Success) throw new MediaException($"ffmpeg printed no ssim/psnr summary: {ProcessRunner.Tail(stderr)}");
        return (Number(ssim.Groups[1].Value), psnr.Groups[1].Value == "inf" ? null : Number(psnr.Groups[1].Value));
    }

    /// <summary>The mean over consecutive frame pairs of the mean absolute luma difference (0-255); 0 for a single frame.</summary>
    public async Task<double> FlickerAsync(string video, CancellationToken token)
    {
        var stderr = await RunAsync(["-i", video, "-an", "-vf", "tblend=all_mode=difference,signalstats,metadata=print:key=lavfi.signalstats.YAVG", "-f", "null", "-"], token);
        var values = FrameYavg().Matches(stderr).Select(m => Number(m.Groups[1].Value)).ToList();
        return values.Count == 0 ? 0 : values.Average();
    }

    /// <summary>Integrated loudness (LUFS) of the audio stream; -inf (all silence below the gate) is returned as null.</summary>
    public async Task<double?> LoudnessAsync(string video, CancellationToken token)
    {
        var stderr = await RunAsync(["-i", video, "-vn", "-af", "ebur128=framelog=verbose", "-f", "null", "-"], token);
        var match = IntegratedLoudness().Match(stderr);
        if (!match.Success) throw new MediaException($"ffmpeg printed no ebur128 summary: {ProcessRunner.Tail(stderr)}");
        return match.Groups[1].Value.EndsWith("inf", StringComparison.Ordinal) ? null : Number(match.Groups[1].Value);
    }

    private async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken token)
    {
        var result = await ProcessRunner.RunAsync(ffmpeg.Ffmpeg, ["-hide_banner", "-nostats", "-nostdin", .. arguments], null, token);
        if (result.ExitCode != 0) throw new MediaException($"ffmpeg exited with {result.ExitCode}: {ProcessRunner.Tail(result.Stderr)}");
        return result.Stderr;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
