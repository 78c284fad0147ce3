using System.Globalization;

namespace LtxLocal.Media;

/// <summary>
/// Re-compresses one RGB24 image as a single H.264 frame at a CRF and decodes it back, as the reference pre-processes
/// conditioning images (media_io.decode.preprocess): the model was trained on compressed frames, so the conditioning
/// image gets the same artefacts. Rows and columns are cut to even counts (yuv420p) from the bottom and right, as the
/// reference does; CRF 0 and images under 2 pixels a side are returned as they are.
/// </summary>
public sealed class StillRecompressor(FfmpegTools tools)
{
    /// <returns>the decoded frame (RGB24) and its size, which is the input's rounded down to even numbers</returns>
    public async Task<(byte[] Rgb, int Width, int Height)> RecompressAsync(byte[] rgb, int width, int height, int crf, CancellationToken cancellationToken = default)
    {
        if (rgb.Length != (long)width * height * 3) throw new ArgumentException($"expected {width}x{height}x3 bytes, got {rgb.Length}", nameof(rgb));
        if (crf == 0 || Math.Min(width, height) < 2) return (rgb, width, height);
        int w = width / 2 * 2, h = height / 2 * 2;
        var cropped = Crop(rgb, width, w, h);
        // The reference converts with PyAV's reformat, whose default interpolation is bilinear.
        var encoded = await ProcessRunner.RunAsync(tools.Ffmpeg,
        [
            "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{w}x{h}", "-r", "1", "-i", "pipe:0",
            "-frames:v", "1", "-sws_flags", "bilinear", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", crf.ToString(CultureInfo.InvariantCulture), "-f", "h264", "pipe:1",
        ], cropped, cancellationToken);
        if (encoded.ExitCode != 0 || encoded.Stdout.Length == 0)
            throw new MediaException($"ffmpeg could not H.264-encode the conditioning image: {ProcessRunner.Tail(encoded.Stderr)}");
        var decoded = await ProcessRunner.RunAsync(tools.Ffmpeg,
        [
            "-v", "error", "-f", "h264", "-i", "pipe:0", "-frames:v", "1", "-sws_flags", "bilinear", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ], encoded.Stdout, cancellationToken);
        if (decoded.ExitCode != 0 || decoded.Stdout.Length != (long)w * h * 3)
            throw new MediaException($"ffmpeg could not decode the re-compressed conditioning image: {ProcessRunner.Tail(decoded.Stderr)}");
        return (decoded.Stdout, w, h);
    }

    private static byte[] Crop(byte[] rgb, int width, int w, int h)
    {
        if (w == width && rgb.Length == (long)w * h * 3) return rgb;
        var cropped = new byte[w * h * 3];
        for (int y = 0; y < h; y++) Array.Copy(rgb, y * width * 3, cropped, y * w * 3, w * 3);
        return cropped;
    }
}
