using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Conditioning;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests.Conditioning;

/// <summary>
/// Per-image conditioning strength (ImageConditioningInput.strength): the image's tokens carry denoise mask
/// 1 − strength, at frame 0 in place and elsewhere as appended keyframe tokens; the rest of the grid stays at 1.
/// The encoder is the video VAE encoder of the fixtures' video_vae/encode case (any encoder will do).
/// </summary>
public sealed class ImageConditionerTests
{
    [Fact]
    public void Each_image_is_held_with_its_own_strength()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var weights = SafetensorsFile.Open(new FixtureCase("video_vae", "encode").WeightsPath);
        using var encoder = VideoVaeLoader.LoadEncoder(weights, TestDevice.Current);
        const int width = 96, height = 64;
        var rgb = Enumerable.Range(0, 50 * 70 * 3).Select(i => (byte)(i * 37 % 251)).ToArray();
        var images = new[] { new ConditioningImage(rgb, 70, 50, 0, 0.7), new ConditioningImage(rgb, 70, 50, 9, 0.25) };
        var conditioner = new ImageConditioner(encoder);
        var encoded = conditioner.Encode(images[0], width, height, TestDevice.Current, DType.Float32);       // [1, C, 1, h, w]
        var tools = VideoLatentTools.FromPixels(1, encoded.Size(1), 17, height, width, 24);
        var state = conditioner.Apply(tools.CreateInitialState(DType.Float32, TestDevice.Current), tools, images, width, height);

        long perFrame = tools.TokensPerFrame, grid = tools.TokenCount;
        Assert.Equal(grid + perFrame, state.DenoiseMask.Size(1));
        var mask = state.DenoiseMask.Reshape(-1).Cpu().ToArray<float>();
        Assert.All(mask[..(int)perFrame], m => Assert.Equal(0.3f, m, 1e-6f));
        Assert.All(mask[(int)perFrame..(int)grid], m => Assert.Equal(1f, m));
        Assert.All(mask[(int)grid..], m => Assert.Equal(0.75f, m, 1e-6f));
        var firstFrame = state.CleanLatent.Narrow(1, 0, perFrame);
        Assert.Equal(0.0, (firstFrame - VideoLatentPatchifier.Patchify(encoded)).Abs().Amax().Item());
    }

    [Fact]
    public void Strength_outside_zero_to_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConditioningImage(new byte[3], 1, 1, 0, 1.5));
}
