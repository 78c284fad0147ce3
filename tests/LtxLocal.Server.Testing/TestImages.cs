using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LtxLocal.Server.Testing;

/// <summary>
/// Images built byte by byte in the test, so their pixels and their faults are known exactly:
/// a real PNG with a gradient, a truncated one, and a decompression bomb (a header that claims
/// 30000x30000 pixels over a few bytes of data).
/// </summary>
public static class TestImages
{
    /// <summary>RGB24 pixels where R follows x, G follows y and B is constant: easy to check after decoding.</summary>
    public static byte[] Gradient(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var i = (y * width + x) * 3;
            rgb[i] = (byte)(x * 255 / Math.Max(1, width - 1));
            rgb[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
            rgb[i + 2] = 96;
        }
        return rgb;
    }

    public static byte[] Png(int width, int height) => Png(width, height, Gradient(width, height));

    public static byte[] Png(int width, int height, byte[] rgb)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            raw.Write(rgb, y * width * 3, width * 3);
        }
        return PngFile(width, height, Deflate(raw.ToArray()));
    }

    /// <summary>A PNG header claiming 30000x30000 RGB with one compressed row of zeros behind it.</summary>
    public static byte[] DecompressionBomb() => PngFile(30000, 30000, Deflate(new byte[30000 * 3 + 1]));

    /// <summary>
    /// A real, whole PNG of width x height black pixels: a few hundred KB that decode to width*height*3 bytes
    /// (the probe's 6000x6000 case is 105 KB on the wire and 108 MB decoded). Rows are deflated as they are made.
    /// </summary>
    public static byte[] BlackPng(int width, int height)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal))
        {
            var row = new byte[width * 3 + 1];
            for (var y = 0; y < height; y++) z.Write(row);
        }
        return PngFile(width, height, output.ToArray());
    }

    /// <summary>A 54-byte BMP header (24 bits, one row of padding after it) whose width field holds <paramref name="width"/>.</summary>
    public static byte[] BmpWithWidth(uint width, int height = 1)
    {
        var bmp = new byte[54 + 4];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    /// <summary>A PNG whose header declares any width and height (negative ones too) over one row of zeros.</summary>
    public static byte[] PngHeader(int width, int height) => PngFile(width, height, Deflate(new byte[4]));

    /// <summary>The first half of a valid PNG.</summary>
    public static byte[] TruncatedPng(int width = 64, int height = 64)
    {
        var png = Png(width, height);
        return png[..(png.Length / 2)];
    }

    public static string DataUri(byte[] data, string mime = "image/png") => $"data:{mime};base64,{Convert.ToBase64String(data)}";

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest)) z.Write(data);
        return output.ToArray();
    }

    private static byte[] PngFile(int width, int height, byte[] idat)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
