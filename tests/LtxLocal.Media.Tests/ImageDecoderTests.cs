using LtxLocal.Media;
using LtxLocal.Server.Testing;

namespace LtxLocal.Media.Tests;

public sealed class ImageDecoderTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    private ImageDecoder Decoder(ImageLimits? limits = null) => new(limits ?? new ImageLimits());

    [Fact]
    public async Task Png_decodes_to_the_exact_pixels()
    {
        var rgb = TestImages.Gradient(40, 30);
        var image = await Decoder().DecodeAsync(TestImages.Png(40, 30, rgb));
        Assert.Equal((40, 30, "png"), (image.Width, image.Height, image.Codec));
        Assert.Equal(rgb, image.Rgb);
    }

    [Theory]
    [InlineData("jpg", "jpeg")]
    [InlineData("webp", "webp")]
    [InlineData("bmp", "bmp")]
    [InlineData("gif", "gif")]
    public async Task Other_formats_decode_to_their_size_and_close_pixels(string extension, string codec)
    {
        var rgb = TestImages.Gradient(48, 32);
        var image = await Decoder().DecodeAsync(media.Convert(TestImages.Png(48, 32, rgb), extension));
        Assert.Equal((48, 32, codec), (image.Width, image.Height, image.Codec));
        // Lossy formats and GIF's palette move pixels a little; a wrong decode moves them a lot.
        var mean = rgb.Zip(image.Rgb, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(mean < 20, $"mean channel difference {mean:F1}");
    }

    [Fact]
    public async Task Gif_decodes_its_first_frame()
    {
        var gif = media.PathFor("anim.gif");
        media.RunFfmpeg("-v", "error", "-f", "lavfi", "-i", "color=c=red:s=16x8:d=0.1,format=rgb24", "-f", "lavfi", "-i", "color=c=blue:s=16x8:d=0.1",
            "-filter_complex", "[0][1]concat=n=2:v=1", "-r", "10", gif);
        var image = await Decoder().DecodeAsync(File.ReadAllBytes(gif));
        Assert.True(image.Rgb[0] > 200 && image.Rgb[2] < 60, $"first pixel {image.Rgb[0]},{image.Rgb[1]},{image.Rgb[2]} should be red");
    }

    [Fact]
    public async Task Decompression_bomb_is_rejected_before_decoding()
    {
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder().DecodeAsync(TestImages.DecompressionBomb()));
        Assert.Contains("30000x30000", e.Message);
    }

    [Fact]
    public async Task Truncated_png_is_rejected() =>
        await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder().DecodeAsync(TestImages.TruncatedPng()));

    [Fact]
    public async Task Truncated_jpeg_is_rejected()
    {
        var jpeg = media.Convert(TestImages.Png(64, 64), "jpg");
        await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder().DecodeAsync(jpeg[..(jpeg.Length / 2)]));
    }

    [Fact]
    public async Task Text_is_not_an_image() =>
        await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder().DecodeAsync("hello, this is not an image"u8.ToArray()));

    [Fact]
    public async Task Tiff_is_an_unsupported_format()
    {
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder().DecodeAsync(media.Convert(TestImages.Png(8, 8), "tiff")));
        Assert.Contains("tiff", e.Message);
    }

    [Fact]
    public async Task Images_over_the_byte_limit_are_rejected() =>
        await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder(new ImageLimits(MaxBytes: 100)).DecodeAsync(TestImages.Png(64, 64)));

    [Fact]
    public async Task Images_over_the_pixel_limit_are_rejected() =>
        await Assert.ThrowsAsync<ImageRejectedException>(() => Decoder(new ImageLimits(MaxPixels: 1000)).InspectAsync(TestImages.Png(64, 64)));

    [Fact]
    public void A_missing_ffmpeg_is_a_clear_error()
    {
        var e = Assert.Throws<MediaException>(() => FfmpegTools.Locate("/nonexistent/ffmpeg"));
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }
}

/// <summary>Issue 15: hostile headers, decoding at the size of use, EXIF orientation.</summary>
public sealed class ImageDecoderSizingTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    [Fact]
    public async Task Bmp_whose_width_is_int_min_is_rejected_not_an_overflow()
    {
        var bmp = TestImages.BmpWithWidth(0x80000000);
        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => new ImageDecoder(new ImageLimits()).DecodeAsync(bmp));
        Assert.Contains("2147483648x1", e.Message);
    }

    [Fact]
    public async Task A_6000_square_png_of_zeros_comes_out_at_the_cover_size()
    {
        var png = TestImages.BlackPng(6000, 6000);
        var image = await new ImageDecoder(new ImageLimits()).DecodeAsync(png, (256, 160));
        Assert.Equal((256, 256), (image.Width, image.Height));
        Assert.Equal(256 * 256 * 3, image.Rgb.Length);
        Assert.All(image.Rgb, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task A_large_jpeg_is_decoded_scaled_inside_the_codec()
    {
        var path = media.PathFor("big.jpg");
        media.RunFfmpeg("-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=4000x4000", "-frames:v", "1", path);
        var jpeg = File.ReadAllBytes(path);
        var decoder = new ImageDecoder(new ImageLimits());
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var image = await decoder.DecodeAsync(jpeg, (256, 160));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal((256, 256), (image.Width, image.Height));
        // Whole, the image is 4000*4000*4 = 64 MB of RGBA; at the codec's 1/8 scale it is 500x500, 1 MB.
        Assert.True(allocated < 8_000_000, $"the decode allocated {allocated / 1e6:F1} MB");
    }

    [Fact]
    public async Task A_jpeg_decodes_scaled_in_the_codec_close_to_a_full_decode_shrunk()
    {
        var rgb = TestImages.Gradient(1024, 768);
        var jpeg = media.Convert(TestImages.Png(1024, 768, rgb), "jpg");
        var decoder = new ImageDecoder(new ImageLimits());
        var small = await decoder.DecodeAsync(jpeg, (128, 96));
        Assert.Equal((128, 96), (small.Width, small.Height));
        // Independent expectation: the source gradient averaged over 8x8 blocks.
        double diff = 0;
        for (var y = 0; y < 96; y++)
        for (var x = 0; x < 128; x++)
        for (var c = 0; c < 3; c++)
        {
            double sum = 0;
            for (var dy = 0; dy < 8; dy++)
            for (var dx = 0; dx < 8; dx++) sum += rgb[((y * 8 + dy) * 1024 + x * 8 + dx) * 3 + c];
            diff += Math.Abs(sum / 64 - small.Rgb[(y * 128 + x) * 3 + c]);
        }
        Assert.True(diff / (128 * 96 * 3) < 4, $"mean difference {diff / (128 * 96 * 3):F2}");
    }

    [Fact]
    public async Task Exif_orientation_6_turns_the_image_upright()
    {
        // Stored 48x32, left half red and right half blue; orientation 6 means "rotate 90 degrees clockwise to view".
        var rgb = new byte[48 * 32 * 3];
        for (var i = 0; i < 48 * 32; i++) rgb[i * 3 + ((i % 48) < 24 ? 0 : 2)] = 255;
        var jpeg = WithExifOrientation(media.Convert(TestImages.Png(48, 32, rgb), "jpg"), 6);
        var decoder = new ImageDecoder(new ImageLimits());
        Assert.Equal((32, 48, "jpeg"), await decoder.InspectAsync(jpeg));
        var image = await decoder.DecodeAsync(jpeg);
        Assert.Equal((32, 48), (image.Width, image.Height));
        int Pixel(int x, int y, int c) => image.Rgb[(y * 32 + x) * 3 + c];
        Assert.True(Pixel(16, 4, 0) > 200 && Pixel(16, 4, 2) < 60, "the top should be red (the stored left side)");
        Assert.True(Pixel(16, 44, 2) > 200 && Pixel(16, 44, 0) < 60, "the bottom should be blue");
    }

    /// <summary>Inserts an APP1 Exif segment holding one IFD entry, Orientation (0x0112) = <paramref name="orientation"/>, after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }
}
