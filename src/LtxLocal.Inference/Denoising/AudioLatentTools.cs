using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>
/// The audio stream's state for one clip (tools.py AudioLatentTools, patch size 1): latent [B, C, T, mel] as tokens
/// [B, T, C·mel], mask ones, positions in seconds, no keyframe marker.
/// </summary>
public sealed record AudioLatentTools(long Batch, long Channels, long Frames, long MelBins)
{
    public AudioPatchifier Patchifier { get; init; } = new();

    public LatentState CreateInitialState(DType dtype, Device device, Tensor? initialLatent = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var latent = initialLatent is null
            ? Tensor.Zeros(new[] { Batch, Frames, Channels * MelBins }, dtype, device)
            : AudioPatchifier.Patchify(initialLatent).To(dtype);
        var mask = Tensor.Ones(new[] { Batch, Frames, 1 }, DType.Float32, device);
        var positions = Patchifier.Positions(Batch, Frames, device);
        return new LatentState(scope.MoveToOuter(latent), scope.MoveToOuter(mask), scope.MoveToOuter(positions),
            scope.MoveToOuter(latent.Clone()), null);
    }

    /// <summary>
    /// A latent [B, C, T', mel] cut or zero-padded at the end to this clip's <see cref="Frames"/> (helpers.py
    /// _conform_latent_length): an encoded soundtrack longer or shorter than the video.
    /// </summary>
    public Tensor ConformLength(Tensor latent)
    {
        long actual = latent.Size(2);
        if (actual >= Frames) return latent.Narrow(2, 0, Frames).Contiguous();
        using var scope = TorchRuntime.NewDisposeScope();
        var shape = latent.Shape.ToArray();
        shape[2] = Frames - actual;
        return scope.MoveToOuter(Tensor.Cat(new[] { latent, Tensor.Zeros(shape, latent.DType, latent.Device) }, 2));
    }

    /// <summary>Tokens back to [B, C, T, mel].</summary>
    public Tensor Unpatchify(LatentState state) => AudioPatchifier.Unpatchify(state.Latent, Channels, MelBins);
}
