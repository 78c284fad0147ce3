using SkiaSharp;

namespace LtxLocal.Media;

/// <summary>
/// EXIF orientation: how a stored image must be turned to be seen upright. Phones store portrait photos
/// as landscape pixels plus this tag, so ignoring it conditions the video on a sideways frame.
/// </summary>
internal static class ImageOrientation
{
    /// <summary>Orientations 5-8 swap width and height.</summary>
    public static bool Transposes(SKEncodedOrigin origin) => origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
        or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>The upright RGB24 image of a stored <paramref name="width"/>x<paramref name="height"/> one.</summary>
    public static byte[] Apply(byte[] rgb, int width, int height, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or 0) return rgb;
        var (outWidth, outHeight) = Transposes(origin) ? (height, width) : (width, height);
        var result = new byte[rgb.Length];
        for (var y = 0; y < outHeight; y++)
        for (var x = 0; x < outWidth; x++)
        {
            var (sx, sy) = origin switch
            {
                SKEncodedOrigin.TopRight => (width - 1 - x, y),
                SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                SKEncodedOrigin.LeftTop => (y, x),
                SKEncodedOrigin.RightTop => (y, height - 1 - x),
                SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
                _ => (x, y),
            };
            rgb.AsSpan((sy * width + sx) * 3, 3).CopyTo(result.AsSpan((y * outWidth + x) * 3, 3));
        }
        return result;
    }
}
