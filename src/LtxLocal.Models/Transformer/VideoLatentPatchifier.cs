using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// Video latents to tokens and back, patch size 1 (components/patchifiers.py VideoLatentPatchifier): token index
/// (f·H + h)·W + w, and each token's [start, end) bounds on the latent grid and in pixels.
/// </summary>
public static class VideoLatentPatchifier
{
    /// <summary>The VAE's compression per axis (time, height, width) of the released models.</summary>
    public static readonly long[] DefaultScaleFactors = { 8, 32, 32 };

    /// <summary>[B, C, F, H, W] -> [B, F·H·W, C].</summary>
    public static Tensor Patchify(Tensor latent) => latent.Flatten(2).Transpose(1, 2).Contiguous();

    /// <summary>[B, F·H·W, C] -> [B, C, F, H, W].</summary>
    public static Tensor Unpatchify(Tensor tokens, long frames, long height, long width) =>
        tokens.Transpose(1, 2).Reshape(tokens.Size(0), tokens.Size(2), frames, height, width).Contiguous();

    /// <summary>int64 [B, 3, F·H·W, 2]: per axis (t, h, w) the latent-grid bounds [i, i+1) of every token.</summary>
    public static Tensor GridBounds(long batch, long frames, long height, long width, Device? device = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var d = device ?? Device.Cpu;
        var f = Tensor.Arange(frames, DType.Int64, d).Reshape(frames, 1, 1).Expand(frames, height, width);
        var h = Tensor.Arange(height, DType.Int64, d).Reshape(1, height, 1).Expand(frames, height, width);
        var w = Tensor.Arange(width, DType.Int64, d).Reshape(1, 1, width).Expand(frames, height, width);
        var starts = Tensor.Stack(new[] { f, h, w }, 0).Reshape(3, -1); // [3, T]
        var bounds = Tensor.Stack(new[] { starts, starts + 1 }, -1); // [3, T, 2]
        return scope.MoveToOuter(bounds.Unsqueeze(0).Expand(batch, 3, bounds.Size(1), 2).Contiguous());
    }

    /// <summary>
    /// Latent bounds × (8, 32, 32); with the causal fix the time axis becomes max(0, 8t + 1 − 8), because the causal
    /// VAE's first latent frame holds a single pixel frame (get_pixel_coords).
    /// </summary>
    public static Tensor PixelCoords(Tensor latentCoords, long[] scaleFactors, bool causalFix)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var axes = Enumerable.Range(0, 3).Select(a => latentCoords.Narrow(1, a, 1) * scaleFactors[a]).ToArray();
        if (causalFix) axes[0] = (axes[0] + (1 - scaleFactors[0])).Clamp(min: 0);
        return scope.MoveToOuter(Tensor.Cat(axes, 1));
    }

    /// <summary>Pixel coords as float32 with the time axis divided by fps: what <see cref="Modality.Positions"/> holds.</summary>
    public static Tensor Positions(Tensor pixelCoords, double fps)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var coords = pixelCoords.To(DType.Float32);
        var positions = Tensor.Cat(new[] { coords.Narrow(1, 0, 1).Div(fps), coords.Narrow(1, 1, 2) }, 1);
        return scope.MoveToOuter(positions);
    }
}
