using LtxLocal.Models.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>
/// Encode then decode a smooth synthetic clip with the fixture weights (encoder of the encode case, decoder of the decode
/// case: the same tiny VAE config): shapes follow the first-frame rule, frames = 8k + 1 ↔ 1 + k latent frames.
/// </summary>
[Trait("Component", "video_vae")]
public class RoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(17)]
    public void Encode_then_decode_keeps_the_clip_shape(int frames)
    {
        using var encodeCase = new FixtureCase("video_vae", "encode");
        using var decodeCase = new FixtureCase("video_vae", "decode");
        using var encoderFile = SafetensorsFile.Open(encodeCase.WeightsPath);
        using var decoderFile = SafetensorsFile.Open(decodeCase.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TestDevice.Current;
        using var encoder = VideoVaeLoader.LoadEncoder(encoderFile, device);
        using var decoder = VideoVaeLoader.LoadDecoder(decoderFile, device);
        var scale = encoder.Scale;
        long height = 2 * scale.Height, width = 3 * scale.Width;

        var clip = SmoothClip(frames, height, width, device);
        var latent = encoder.Forward(clip);
        Assert.Equal(new long[] { 1, encoder.Config.LatentChannels, 1 + (frames - 1) / scale.Time, 2, 3 }, latent.Shape);
        var video = decoder.Forward(latent);
        Assert.Equal(clip.Shape, video.Shape);
        Assert.True(video.IsFinite().All().Item() != 0);
        var rgb = ConvVideoDecoder.ToRgb(video);
        Assert.Equal(new long[] { frames, height, width, 3 }, rgb.Shape);
        Assert.InRange(rgb.Amin().Item(), 0, 1);
        Assert.InRange(rgb.Amax().Item(), 0, 1);
    }

    /// <summary>Low-frequency colour waves moving over time, in [-1, 1], [1, 3, F, H, W].</summary>
    private static Tensor SmoothClip(long frames, long height, long width, Device device)
    {
        var t = Tensor.Arange(0, frames, 1, DType.Float32, device).Reshape(1, 1, frames, 1, 1);
        var y = Tensor.Arange(0, height, 1, DType.Float32, device).Reshape(1, 1, 1, height, 1);
        var x = Tensor.Arange(0, width, 1, DType.Float32, device).Reshape(1, 1, 1, 1, width);
        var c = Tensor.Arange(0, 3, 1, DType.Float32, device).Reshape(1, 3, 1, 1, 1);
        return (x * 0.05 + y * 0.08 + t * 0.2 + c * 2.0).Sin() * 0.8;
    }
}
