using LtxLocal.Media;
using LtxLocal.Server.Testing;

namespace LtxLocal.Media.Tests;

/// <summary>The header reader must agree with ffmpeg on every supported format; ffmpeg makes the files.</summary>
public sealed class ImageHeaderTests(MediaFixture media) : IClassFixture<MediaFixture>
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("webp")]
    [InlineData("bmp")]
    [InlineData("gif")]
    public void Declared_size_is_read_from_the_header(string extension)
    {
        var png = TestImages.Png(72, 40);
        var data = extension == "png" ? png : media.Convert(png, extension);
        Assert.Equal((72L, 40L), ImageHeader.TryReadSize(data));
    }

    [Fact]
    public void Bomb_header_declares_its_claimed_size() =>
        Assert.Equal((30000L, 30000L), ImageHeader.TryReadSize(TestImages.DecompressionBomb()));

    [Fact]
    public void Unknown_bytes_have_no_size() => Assert.Null(ImageHeader.TryReadSize("not an image"u8));
}
