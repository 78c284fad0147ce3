using LtxLocal.Media;
using LtxLocal.Server.Testing;

namespace LtxLocal.Media.Tests;

public sealed class ImageDecoderTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    private ImageDecoder Decoder(ImageLimits? limits = null) => new(media.Tools, limits ?? new ImageLimits());

    [Fact]
    public async Task Png_decodes_to_the_exact_pixels()
    {
        var rgb = TestImages.Gradient(40, 30);
        var image = await Decoder().DecodeAsync(TestImages.Png(40, 30, rgb));
        Assert.Equal((40, 30, "png"), (image.Width, image.Height, image.Codec));
        Assert.Equal(rgb, image.Rgb);
    }

    [Theory]
    [InlineData("jpg", "mjpeg")]
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
