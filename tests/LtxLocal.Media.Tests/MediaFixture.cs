using System.Diagnostics;
using LtxLocal.Media;

namespace LtxLocal.Media.Tests;

/// <summary>The real ffmpeg install plus a scratch directory; helpers make test inputs with ffmpeg itself.</summary>
public sealed class MediaFixture : IDisposable
{
    public FfmpegTools Tools { get; } = FfmpegTools.Locate();
    public string Dir { get; } = Directory.CreateTempSubdirectory("ltx-media-tests-").FullName;

    public string PathFor(string name) => System.IO.Path.Combine(Dir, $"{Guid.NewGuid():N}-{name}");

    /// <summary>Converts PNG bytes to another image format by extension (jpg, webp, bmp, gif, tiff).</summary>
    public byte[] Convert(byte[] png, string extension)
    {
        var input = PathFor("in.png");
        var output = PathFor("out." + extension);
        File.WriteAllBytes(input, png);
        RunFfmpeg("-v", "error", "-y", "-i", input, output);
        return File.ReadAllBytes(output);
    }

    /// <summary>Runs ffmpeg and fails the test with its stderr when it fails.</summary>
    public void RunFfmpeg(params string[] args)
    {
        var info = new ProcessStartInfo(Tools.Ffmpeg) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
