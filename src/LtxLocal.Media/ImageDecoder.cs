using System.Runtime.InteropServices;
using SkiaSharp;

namespace LtxLocal.Media;

/// <summary>Limits that keep a hostile image from exhausting memory (decompression bombs), disk or CPU.</summary>
public sealed record ImageLimits(long MaxBytes = 20 * 1024 * 1024, long MaxPixels = 40_000_000, int MaxDimension = 16384, int MaxConcurrentDecodes = 2);

/// <summary>An image as tightly packed RGB24 rows, upright (EXIF orientation applied).</summary>
public sealed record DecodedImage(byte[] Rgb, int Width, int Height, string Codec);

/// <summary>
/// Decodes PNG, JPEG, WEBP, BMP and GIF (first frame) in-process with Skia. The declared size is checked
/// against <see cref="ImageLimits"/> from the header before a pixel is decoded; images are decoded at
/// the size they will be used: JPEG and WEBP scale inside the codec (JPEG row by row), the rest are decoded
/// whole and shrunk at once. At most <see cref="ImageLimits.MaxConcurrentDecodes"/> decodes run at a time, so
/// whole-frame buffers (up to MaxPixels x 4 bytes each) are bounded too.
/// </summary>
public sealed class ImageDecoder(ImageLimits limits)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, limits.MaxConcurrentDecodes));

    /// <summary>Format and upright size from the header alone.</summary>
    public Task<(int Width, int Height, string Codec)> InspectAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        using var codec = Open(data, out var name);
        var (width, height) = Upright(codec);
        return Task.FromResult((width, height, name));
    }

    /// <summary>The whole image at its own size.</summary>
    public Task<DecodedImage> DecodeAsync(byte[] data, CancellationToken cancellationToken = default) => DecodeAsync(data, null, cancellationToken);

    /// <summary>
    /// The image at the smallest size that still covers <paramref name="cover"/> (aspect ratio kept, never
    /// enlarged): what a pipeline that scales to cover and centre-crops needs. Null decodes at full size.
    /// </summary>
    public async Task<DecodedImage> DecodeAsync(byte[] data, (int Width, int Height)? cover, CancellationToken cancellationToken = default)
    {
        CheckLength(data);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Decode(data, cover), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Decodes every row (so a truncated or corrupt file is caught) while keeping only a thumbnail.</summary>
    public async Task<(int Width, int Height, string Codec)> ValidateAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        var (width, height, codec) = await InspectAsync(data, cancellationToken);
        await DecodeAsync(data, (1, 1), cancellationToken);
        return (width, height, codec);
    }

    private DecodedImage Decode(byte[] data, (int Width, int Height)? cover)
    {
        using var codec = Open(data, out var name);
        var origin = codec.EncodedOrigin;
        var (uprightWidth, uprightHeight) = Upright(codec);
        var (width, height) = cover is { } c ? CoverSize(uprightWidth, uprightHeight, c.Width, c.Height) : (uprightWidth, uprightHeight);
        var (storedWidth, storedHeight) = ImageOrientation.Transposes(origin) ? (height, width) : (width, height);

        var size = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (storedWidth < size.Width || storedHeight < size.Height)
        {
            var scaled = codec.GetScaledDimensions(Math.Max(storedWidth / (float)size.Width, storedHeight / (float)size.Height));
            if (scaled.Width >= storedWidth && scaled.Height >= storedHeight && scaled.Width <= size.Width && scaled.Height <= size.Height) size = scaled;
        }
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var shrink = new AreaResampler(size.Width, size.Height, storedWidth, storedHeight);
        if (!TryScanlines(codec, info, shrink)) DecodeWhole(codec, info, shrink, name);
        return new DecodedImage(ImageOrientation.Apply(shrink.Rgb, storedWidth, storedHeight, origin), width, height, name);
    }

    /// <summary>Row-by-row decoding where the codec offers it (JPEG, BMP; this Skia's PNG codec does not): one row in memory.</summary>
    private static bool TryScanlines(SKCodec codec, SKImageInfo info, AreaResampler shrink)
    {
        if (codec.ScanlineOrder != SKCodecScanlineOrder.TopDown || codec.StartScanlineDecode(info) != SKCodecResult.Success) return false;
        var row = new byte[info.RowBytes];
        var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            for (var y = 0; y < info.Height; y++)
            {
                if (codec.GetScanlines(handle.AddrOfPinnedObject(), 1, info.RowBytes) != 1)
                    throw new ImageRejectedException($"the image could not be decoded (corrupt or truncated {Name(codec.EncodedFormat)} at row {y} of {info.Height})");
                shrink.AddRow(row);
            }
        }
        finally
        {
            handle.Free();
        }
        return true;
    }

    private static void DecodeWhole(SKCodec codec, SKImageInfo info, AreaResampler shrink, string name)
    {
        var pixels = new byte[info.BytesSize64];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success) throw new ImageRejectedException($"the image could not be decoded (corrupt or truncated {name}: {result})");
        for (var y = 0; y < info.Height; y++) shrink.AddRow(pixels.AsSpan(y * info.RowBytes, info.Width * 4));
    }

    /// <summary>The smallest size with the image's aspect ratio that covers width x height; the image's own size when it is smaller.</summary>
    public static (int Width, int Height) CoverSize(int imageWidth, int imageHeight, int width, int height)
    {
        var scale = Math.Max(width / (double)imageWidth, height / (double)imageHeight);
        if (scale >= 1) return (imageWidth, imageHeight);
        return (Math.Clamp((int)Math.Ceiling(imageWidth * scale), Math.Min(width, imageWidth), imageWidth),
                Math.Clamp((int)Math.Ceiling(imageHeight * scale), Math.Min(height, imageHeight), imageHeight));
    }

    /// <summary>Byte limit, header size check, then a codec for a supported format whose declared size is within limits.</summary>
    private SKCodec Open(byte[] data, out string name)
    {
        CheckLength(data);
        using var skData = SKData.CreateCopy(data);
        var codec = SKCodec.Create(skData);
        if (codec is null)
            throw new ImageRejectedException(IsTiff(data)
                ? "unsupported image format 'tiff'; use PNG, JPEG, WEBP, BMP or GIF"
                : "the file is not a readable image (PNG, JPEG, WEBP, BMP or GIF)");
        name = Name(codec.EncodedFormat);
        try
        {
            if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp or SKEncodedImageFormat.Bmp or SKEncodedImageFormat.Gif))
                throw new ImageRejectedException($"unsupported image format '{name}'; use PNG, JPEG, WEBP, BMP or GIF");
            if (codec.Info.Width <= 0 || codec.Info.Height <= 0) throw new ImageRejectedException("the image has no readable dimensions (corrupt or truncated)");
            CheckSize(codec.Info.Width, codec.Info.Height);
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    private static (int, int) Upright(SKCodec codec) =>
        ImageOrientation.Transposes(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);

    private static string Name(SKEncodedImageFormat format) => format.ToString().ToLowerInvariant();

    private static bool IsTiff(ReadOnlySpan<byte> data) => data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8);

    /// <summary>Byte limit, then the size the header declares: both before any decoder touches the data.</summary>
    private void CheckLength(byte[] data)
    {
        if (data.Length == 0) throw new ImageRejectedException("the image is empty");
        if (data.Length > limits.MaxBytes) throw new ImageRejectedException($"the image is {data.Length} bytes; the limit is {limits.MaxBytes}");
        if (ImageHeader.TryReadSize(data) is var (width, height)) CheckSize(width, height);
    }

    private void CheckSize(long width, long height)
    {
        if (width > limits.MaxDimension || height > limits.MaxDimension || width * height > limits.MaxPixels)
            throw new ImageRejectedException(
                $"the image is {width}x{height}; the limits are {limits.MaxDimension} pixels a side and {limits.MaxPixels} pixels in all");
    }
}
