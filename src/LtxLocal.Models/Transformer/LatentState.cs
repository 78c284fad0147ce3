using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// A stream's patchified denoising state (types.py LatentState): the noisy latent and the clean latent [B, T, C],
/// the denoise mask [B, T, 1] (1 generate, 0 keep clean), positions [B, axes, T, 2], and for video the keyframe
/// marker [B, T, 1]. Conditioning items append tokens only at the end.
/// </summary>
public sealed record LatentState(Tensor Latent, Tensor DenoiseMask, Tensor Positions, Tensor CleanLatent, Tensor? KeyframesMask) : IDisposable
{
    /// <summary>
    /// The stream is held fixed (types.py LatentState.frozen): its denoise mask is all zeros and every transformer call
    /// gets sigma 0 for it, so the other stream's cross-attention gate and the prompt AdaLN see a clean signal.
    /// </summary>
    public bool Frozen { get; init; }

    /// <summary>
    /// GaussianNoiser: latent = lerp(clean, lerp(latent, noise, noiseScale), denoise mask), in float32, cast back.
    /// <paramref name="noise"/> is the draw [B, T, C].
    /// </summary>
    public LatentState Noised(Tensor noise, double noiseScale)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var noisy = Latent.To(DType.Float32).Lerp(noise.To(DType.Float32), noiseScale);
        var blended = Lerp(CleanLatent.To(DType.Float32), noisy, DenoiseMask.To(DType.Float32)).To(Latent.DType);
        return this with { Latent = scope.MoveToOuter(blended) };
    }

    /// <summary>torch.lerp with a tensor weight, including its two-sided formula (exact at both ends).</summary>
    public static Tensor Lerp(Tensor start, Tensor end, Tensor weight)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var difference = end - start;
        var fromStart = start + weight * difference;
        var fromEnd = end - difference * (1.0 - weight);
        return scope.MoveToOuter(Tensor.Where(weight.Abs().Lt(0.5), fromStart, fromEnd));
    }

    public void Dispose()
    {
        Latent.Dispose();
        DenoiseMask.Dispose();
        Positions.Dispose();
        CleanLatent.Dispose();
        KeyframesMask?.Dispose();
    }
}
