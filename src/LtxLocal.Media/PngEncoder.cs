using System.Runtime.InteropServices;
using SkiaSharp;

namespace LtxLocal.Media;

/// <summary>RGB24 frames as PNG files, for the operator's content checker (lossless, so it judges the frame as generated).</summary>
public static class PngEncoder
{
    public static byte[] FromRgb(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        if (rgb24.Length != width * height * 3) throw new ArgumentException($"expected {width}x{height}x3 bytes, got {rgb24.Length}", nameof(rgb24));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[width * height * 4];
        for (int i = 0, j = 0; i < rgb24.Length; i += 3, j += 4)
        {
            rgba[j] = rgb24[i];
            rgba[j + 1] = rgb24[i + 1];
            rgba[j + 2] = rgb24[i + 2];
            rgba[j + 3] = 255;
        }
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new MediaException("SkiaSharp could not encode the frame as PNG");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
