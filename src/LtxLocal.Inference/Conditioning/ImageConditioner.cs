using LtxLocal.Models.Transformer;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.NN;

namespace LtxLocal.Inference.Conditioning;

/// <summary>
/// Image conditioning as the pipelines apply it (helpers.py combined_image_conditionings): each image is resized to
/// cover the stage's resolution and centre-cropped, scaled to [-1, 1], encoded by the video VAE, then placed at frame 0
/// by latent index (VideoConditionByLatentIndex: the first latent frame's tokens start clean with denoise mask
/// 1 − strength) or, at any other frame, appended as keyframe tokens (VideoConditionByKeyframeIndex), each with its
/// image's <see cref="ConditioningImage.Strength"/>.
/// </summary>
public sealed class ImageConditioner(VideoEncoder encoder)
{
    public LatentState Apply(LatentState state, VideoLatentTools tools, IReadOnlyList<ConditioningImage> images, int width, int height)
    {
        foreach (var image in images)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var latent = Encode(image, width, height, state.Latent.Device, state.Latent.DType);
            var next = image.FrameIndex == 0
                ? tools.ConditionByLatentIndex(state, latent, image.Strength, 0)
                : tools.ConditionByKeyframe(state, latent, image.Strength, image.FrameIndex);
            foreach (var t in new[] { next.Latent, next.DenoiseMask, next.Positions, next.CleanLatent, next.KeyframesMask })
                if (t is not null) t.DetachFromScope();
            state = next;
        }
        return state;
    }

    /// <summary>RGB24 -> [1, 3, 1, H, W] in [-1, 1] at the target size -> normalised latent [1, C, 1, H/32, W/32].</summary>
    public Tensor Encode(ConditioningImage image, int width, int height, Device device, DType dtype)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var pixels = Tensor.From(image.Rgb, image.Height, image.Width, 3).To(device, DType.Float32)
            .Permute(2, 0, 1).Unsqueeze(0);                                                      // [1, 3, h, w]
        double scale = Math.Max(height / (double)image.Height, width / (double)image.Width);
        long coverH = Math.Max(height, (long)Math.Round(image.Height * scale)), coverW = Math.Max(width, (long)Math.Round(image.Width * scale));
        var resized = F.Interpolate(pixels, new[] { coverH, coverW }, InterpolateMode.Linear);
        var cropped = resized.Narrow(2, (coverH - height) / 2, height).Narrow(3, (coverW - width) / 2, width);
        var video = (cropped / 127.5 - 1.0).Clamp(-1, 1).Unsqueeze(2).To(dtype);                  // [1, 3, 1, H, W]
        return scope.MoveToOuter(encoder.Forward(video));
    }
}
