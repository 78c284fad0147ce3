using System.Diagnostics;

namespace LtxLocal.Media;

/// <summary>
/// Where the ffmpeg and ffprobe programs are. <see cref="Locate"/> runs both once, so a missing
/// install is a clear error at startup instead of a failed job later.
/// </summary>
public sealed record FfmpegTools(string Ffmpeg, string Ffprobe, string Version)
{
    public static FfmpegTools Locate(string? ffmpegPath = null, string? ffprobePath = null)
    {
        var ffmpeg = string.IsNullOrWhiteSpace(ffmpegPath) ? "ffmpeg" : ffmpegPath;
        var ffprobe = string.IsNullOrWhiteSpace(ffprobePath) ? "ffprobe" : ffprobePath;
        var version = FirstLineOf(ffmpeg);
        FirstLineOf(ffprobe);
        return new FfmpegTools(ffmpeg, ffprobe, version);
    }

    private static string FirstLineOf(string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, "-version")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            }) ?? throw new MediaException($"could not start '{program}'");
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new MediaException($"'{program} -version' exited with code {process.ExitCode}");
            return output.Split('\n', 2)[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MediaException(
                $"'{program}' was not found. LtxLocal needs FFmpeg to decode images and encode videos: " +
                "install it (Debian/Ubuntu: apt-get install ffmpeg) or set Ltx:FfmpegPath / Ltx:FfprobePath.", e);
        }
    }
}
