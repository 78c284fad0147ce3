using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Builds and conditions video latent states for one target grid (tools.py VideoLatentTools, patch size 1, scale
/// factors (8, 32, 32), causal fix on) and the image conditionings of conditioning/types (latent index, keyframe).
/// </summary>
public sealed record VideoLatentTools(long Batch, long Channels, long Frames, long Height, long Width, double Fps)
{
    public long[] ScaleFactors { get; init; } = VideoLatentPatchifier.DefaultScaleFactors;

    public long TokensPerFrame => Height * Width;

    public long TokenCount => Frames * Height * Width;

    /// <summary>The latent grid of a pixel request: frames (F−1)/8+1, height H/32, width W/32.</summary>
    public static VideoLatentTools FromPixels(long batch, long channels, long pixelFrames, long pixelHeight, long pixelWidth, double fps) =>
        new(batch, channels, (pixelFrames - 1) / 8 + 1, pixelHeight / 32, pixelWidth / 32, fps);

    /// <summary>Zeros (or <paramref name="initialLatent"/> [B, C, F, H, W]) as tokens, mask ones, positions, first frame marked.</summary>
    public LatentState CreateInitialState(DType dtype, Device device, Tensor? initialLatent = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var latent = initialLatent is null
            ? Tensor.Zeros(new[] { Batch, TokenCount, Channels }, dtype, device)
            : VideoLatentPatchifier.Patchify(initialLatent);
        var mask = Tensor.Ones(new[] { Batch, TokenCount, 1 }, DType.Float32, device);
        var positions = VideoLatentPatchifier.Positions(
            VideoLatentPatchifier.PixelCoords(VideoLatentPatchifier.GridBounds(Batch, Frames, Height, Width, device), ScaleFactors, true), Fps);
        var keyframes = Tensor.Cat(new[]
        {
            Tensor.Ones(new[] { Batch, TokensPerFrame, 1 }, DType.Float32, device),
            Tensor.Zeros(new[] { Batch, TokenCount - TokensPerFrame, 1 }, DType.Float32, device),
        }, 1);
        return new LatentState(scope.MoveToOuter(latent), scope.MoveToOuter(mask), scope.MoveToOuter(positions),
            scope.MoveToOuter(latent.Clone()), scope.MoveToOuter(keyframes));
    }

    /// <summary>
    /// VideoConditionByLatentIndex: the latent [B, C, f, H, W] replaces the clean tokens from latent frame
    /// <paramref name="latentIndex"/> on, with denoise mask 1 − strength there.
    /// </summary>
    public LatentState ConditionByLatentIndex(LatentState state, Tensor latent, double strength, long latentIndex)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tokens = VideoLatentPatchifier.Patchify(latent);
        long start = latentIndex * TokensPerFrame, count = tokens.Size(1);
        var clean = Splice(state.CleanLatent, tokens, start);
        var mask = Splice(state.DenoiseMask, Tensor.Full(new[] { tokens.Size(0), count, 1 }, 1.0 - strength, state.DenoiseMask.DType, tokens.Device), start);
        return state with { CleanLatent = scope.MoveToOuter(clean), DenoiseMask = scope.MoveToOuter(mask) };
    }

    /// <summary>
    /// VideoConditionByKeyframeIndex: appends the keyframe's tokens with zero noisy latent, the keyframe as the clean
    /// latent, mask 1 − strength and their own positions (time shifted by <paramref name="frameIndex"/>, a
    /// single-pixel-frame latent spans [t, t+1), causal fix only at frame 0, then / fps); the marker is not set.
    /// </summary>
    public LatentState ConditionByKeyframe(LatentState state, Tensor keyframes, double strength, long frameIndex, long numPixelFrames = 1)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tokens = VideoLatentPatchifier.Patchify(keyframes);
        long batch = tokens.Size(0), count = tokens.Size(1);
        var bounds = VideoLatentPatchifier.GridBounds(batch, keyframes.Size(2), keyframes.Size(3), keyframes.Size(4), tokens.Device);
        var pixels = VideoLatentPatchifier.PixelCoords(bounds, ScaleFactors, frameIndex == 0);
        var time = pixels.Narrow(1, 0, 1) + frameIndex;
        if (numPixelFrames == 1) time = Tensor.Cat(new[] { time.Narrow(-1, 0, 1), time.Narrow(-1, 0, 1) + 1 }, -1);
        var positions = VideoLatentPatchifier.Positions(Tensor.Cat(new[] { time, pixels.Narrow(1, 1, 2) }, 1), Fps);
        var mask = Tensor.Full(new[] { batch, count, 1 }, 1.0 - strength, keyframes.DType, tokens.Device);
        var marker = state.KeyframesMask is null ? null
            : Tensor.Cat(new[] { state.KeyframesMask, Tensor.Zeros(new[] { batch, count, 1 }, state.KeyframesMask.DType, tokens.Device) }, 1);
        var next = new LatentState(
            Tensor.Cat(new[] { state.Latent, Tensor.ZerosLike(tokens) }, 1),
            Tensor.Cat(new[] { state.DenoiseMask, mask.To(state.DenoiseMask.DType) }, 1),
            Tensor.Cat(new[] { state.Positions, positions }, 2),
            Tensor.Cat(new[] { state.CleanLatent, tokens }, 1),
            marker);
        foreach (var t in new[] { next.Latent, next.DenoiseMask, next.Positions, next.CleanLatent, next.KeyframesMask }) if (t is not null) scope.MoveToOuter(t);
        return next;
    }

    /// <summary>Drops the tokens conditioning appended after the target grid (LatentTools.clear_conditioning).</summary>
    public LatentState ClearConditioning(LatentState state) => new(
        state.Latent.Narrow(1, 0, TokenCount), Tensor.Ones(new[] { Batch, TokenCount, 1 }, state.DenoiseMask.DType, state.DenoiseMask.Device),
        state.Positions.Narrow(2, 0, TokenCount), state.CleanLatent.Narrow(1, 0, TokenCount), null);

    // tokens [B, n, ·] written over target[:, start:start+n] of a copy.
    private static Tensor Splice(Tensor target, Tensor tokens, long start)
    {
        long n = tokens.Size(1), total = target.Size(1);
        return Tensor.Cat(new[] { target.Narrow(1, 0, start), tokens.To(target.DType), target.Narrow(1, start + n, total - start - n) }, 1);
    }
}
