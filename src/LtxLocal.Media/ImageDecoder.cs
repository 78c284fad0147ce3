namespace LtxLocal.Media;

/// <summary>Limits that keep a hostile image from exhausting memory (decompression bombs) or disk.</summary>
public sealed record ImageLimits(long MaxBytes = 20 * 1024 * 1024, long MaxPixels = 40_000_000, int MaxDimension = 16384);

/// <summary>An image as tightly packed RGB24 rows.</summary>
public sealed record DecodedImage(byte[] Rgb, int Width, int Height, string Codec);

/// <summary>
/// Decodes PNG, JPEG, WEBP, BMP and GIF (first frame) with ffmpeg. The header is probed first and
/// the size checked against <see cref="ImageLimits"/> before a single pixel is decoded.
/// </summary>
public sealed class ImageDecoder(FfmpegTools tools, ImageLimits limits)
{
    private static readonly HashSet<string> Codecs = ["png", "mjpeg", "webp", "bmp", "gif"];

    /// <summary>Checks format and size without decoding pixels; returns width, height and codec.</summary>
    public async Task<(int Width, int Height, string Codec)> InspectAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        CheckLength(data);
        return await WithTempFile(data, path => InspectFileAsync(path, cancellationToken));
    }

    public async Task<DecodedImage> DecodeAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        CheckLength(data);
        return await WithTempFile(data, async path =>
        {
            var (width, height, codec) = await InspectFileAsync(path, cancellationToken);
            var run = await ProcessRunner.RunAsync(tools.Ffmpeg,
            [
                "-v", "error", "-max_pixels", limits.MaxPixels.ToString(), "-err_detect", "explode", "-xerror",
                "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
            ], null, cancellationToken);
            var expected = (long)width * height * 3;
            if (run.ExitCode != 0 || run.Stdout.Length != expected)
                throw new ImageRejectedException($"the image could not be decoded (corrupt or truncated {codec}): {ProcessRunner.Tail(run.Stderr, 2)}".TrimEnd(' ', ':'));
            return new DecodedImage(run.Stdout, width, height, codec);
        });
    }

    /// <summary>Byte limit, then the size the header declares: both before ffprobe or ffmpeg touch the data.</summary>
    private void CheckLength(byte[] data)
    {
        if (data.Length == 0) throw new ImageRejectedException("the image is empty");
        if (data.Length > limits.MaxBytes) throw new ImageRejectedException($"the image is {data.Length} bytes; the limit is {limits.MaxBytes}");
        if (ImageHeader.TryReadSize(data) is var (width, height)) CheckSize(width, height);
    }

    private void CheckSize(int width, int height)
    {
        if (width > limits.MaxDimension || height > limits.MaxDimension || (long)width * height > limits.MaxPixels)
            throw new ImageRejectedException(
                $"the image is {width}x{height}; the limits are {limits.MaxDimension} pixels a side and {limits.MaxPixels} pixels in all");
    }

    private async Task<(int, int, string)> InspectFileAsync(string path, CancellationToken cancellationToken)
    {
        var run = await ProcessRunner.RunAsync(tools.Ffprobe,
            ["-v", "error", "-max_pixels", limits.MaxPixels.ToString(), "-print_format", "json", "-show_streams", "-show_format", path],
            null, cancellationToken);
        MediaInfo info;
        try
        {
            info = MediaProbe.Parse(run.Stdout);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new ImageRejectedException("the file is not a readable image");
        }
        var video = info.Video;
        if (run.ExitCode != 0 || video is null || info.Streams.Count != 1)
            throw new ImageRejectedException("the file is not a readable image (PNG, JPEG, WEBP, BMP or GIF)");
        if (!Codecs.Contains(video.CodecName))
            throw new ImageRejectedException($"unsupported image format '{video.CodecName}'; use PNG, JPEG, WEBP, BMP or GIF");
        if (video.Width <= 0 || video.Height <= 0)
            throw new ImageRejectedException("the image has no readable dimensions (corrupt or truncated)");
        CheckSize(video.Width, video.Height);
        return (video.Width, video.Height, video.CodecName);
    }

    private static async Task<T> WithTempFile<T>(byte[] data, Func<string, Task<T>> body)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ltx-image-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, data);
        try { return await body(path); }
        finally { File.Delete(path); }
    }
}
