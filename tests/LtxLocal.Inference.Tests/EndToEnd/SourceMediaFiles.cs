using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using LtxLocal.Media;
using Microsoft.Data.Sqlite;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// What the audio-to-video, retake and extend tests need around the server: media files made with ffmpeg's lavfi, PCM
/// decoded with ffmpeg, multipart bodies, and the server's state (job rows, stored files) to prove a refusal left none.
/// </summary>
internal static class SourceMediaFiles
{
    private static readonly FfmpegTools Tools = FfmpegTools.Locate(null, null);

    /// <summary>Two sine sweeps (one per channel, or the first alone for mono) of <paramref name="seconds"/> into <paramref name="path"/>.</summary>
    public static async Task<string> SweepAsync(string path, double seconds, int rate, int channels, params string[] codec)
    {
        var left = "0.5*sin(2*PI*(220+330*t)*t)";
        var expression = channels == 1 ? left : left + "|0.4*sin(2*PI*(440+110*t)*t)";
        await FfmpegAsync(["-f", "lavfi", "-i", $"aevalsrc={expression}:s={rate}:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}", .. codec, path]);
        return path;
    }

    public static async Task FfmpegAsync(IEnumerable<string> args) => await RunAsync(["-y", .. args]);

    /// <summary>ffmpeg with <paramref name="args"/>; its stdout, after asserting it succeeded.</summary>
    private static async Task<byte[]> RunAsync(IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Tools.Ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-v", "error", .. args]) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(copy, stderr, process.WaitForExitAsync());
        Assert.True(process.ExitCode == 0, await stderr);
        return stdout.ToArray();
    }

    /// <summary>The first audio stream of <paramref name="path"/> as interleaved float PCM at <paramref name="rate"/> and <paramref name="channels"/>.</summary>
    public static async Task<float[]> PcmAsync(string path, int rate, int channels)
    {
        var pcm = await RunAsync(["-i", path, "-map", "0:a:0", "-ar", $"{rate}", "-ac", $"{channels}", "-f", "f32le", "pipe:1"]);
        return MemoryMarshal.Cast<byte, float>(pcm).ToArray();
    }

    /// <summary>Every frame of <paramref name="path"/> as RGB24 bytes, one array for the whole stream.</summary>
    public static Task<byte[]> FramesAsync(string path) => RunAsync(["-i", path, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

    public static MultipartFormDataContent Multipart(IReadOnlyDictionary<string, string> fields, string fileField, byte[] file, string fileName)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, fileField, fileName);
        return content;
    }

    /// <summary>How many job rows the server's SQLite store holds.</summary>
    public static long JobRows(TinyModelServer server)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "jobs.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM jobs";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every file under the server's data directory except its database.</summary>
    public static HashSet<string> StoredFiles(TinyModelServer server) => Directory.Exists(server.DataDirectory)
        ? Directory.EnumerateFiles(server.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith("jobs.db")).ToHashSet()
        : [];
}
