using LtxLocal.Media;

namespace LtxLocal.Inference.Tests.Conditioning;

/// <summary>
/// The conditioning image's H.264 pre-compression (the reference's media_io preprocess) against ffmpeg run here on its
/// own: the image written to a file, encoded as a one-frame MP4 with libx264 at the CRF, decoded back to RGB24.
/// </summary>
[Trait("Component", "pipelines")]
public sealed class StillRecompressorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-crf-").FullName;
    private readonly FfmpegTools _ffmpeg = FfmpegTools.Locate();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A textured RGB image (gradients plus a seeded pattern) that H.264 cannot keep exactly.</summary>
    private static byte[] Texture(int width, int height)
    {
        var random = new Random(7);
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            int p = (y * width + x) * 3;
            rgb[p] = (byte)(x * 255 / width);
            rgb[p + 1] = (byte)(y * 255 / height);
            rgb[p + 2] = (byte)random.Next(256);
        }
        return rgb;
    }

    private async Task<byte[]> FfmpegRoundTrip(byte[] rgb, int width, int height, int crf)
    {
        var raw = Path.Combine(_dir, $"in-{crf}.rgb");
        var mp4 = Path.Combine(_dir, $"frame-{crf}.mp4");
        var back = Path.Combine(_dir, $"out-{crf}.rgb");
        await File.WriteAllBytesAsync(raw, rgb);
        await Run("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", "1", "-i", raw, "-frames:v", "1",
            "-sws_flags", "bilinear", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", crf.ToString(), mp4);
        await Run("-i", mp4, "-frames:v", "1", "-sws_flags", "bilinear", "-f", "rawvideo", "-pix_fmt", "rgb24", back);
        return await File.ReadAllBytesAsync(back);
    }

    private async Task Run(params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(_ffmpeg.Ffmpeg) { RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-y" }.Concat(arguments)) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(18)]
    public async Task Matches_ffmpeg_encoding_the_image_at_that_crf(int crf)
    {
        const int width = 64, height = 48;
        var input = Texture(width, height);
        var (rgb, w, h) = await new StillRecompressor(_ffmpeg).RecompressAsync(input, width, height, crf);
        Assert.Equal((width, height), (w, h));
        Assert.Equal(await FfmpegRoundTrip(input, width, height, crf), rgb);
        Assert.NotEqual(input, rgb); // the compression really changed the pixels
    }

    [Fact]
    public async Task Odd_sizes_lose_their_last_row_and_column_and_crf_0_keeps_the_image()
    {
        var input = Texture(65, 49);
        var (rgb, w, h) = await new StillRecompressor(_ffmpeg).RecompressAsync(input, 65, 49, 33);
        Assert.Equal((64, 48, 64 * 48 * 3), (w, h, rgb.Length));
        var (same, _, _) = await new StillRecompressor(_ffmpeg).RecompressAsync(input, 65, 49, 0);
        Assert.Same(input, same);
    }

    [Fact]
    public async Task A_lower_crf_keeps_the_image_closer()
    {
        var input = Texture(64, 48);
        var recompressor = new StillRecompressor(_ffmpeg);
        double Error(byte[] output) => input.Zip(output, (a, b) => Math.Abs(a - b)).Average();
        var strong = Error((await recompressor.RecompressAsync(input, 64, 48, 33)).Rgb);
        var light = Error((await recompressor.RecompressAsync(input, 64, 48, 18)).Rgb);
        Assert.True(light < strong, $"CRF 18 error {light:F2} should be below CRF 33 error {strong:F2}");
    }
}
