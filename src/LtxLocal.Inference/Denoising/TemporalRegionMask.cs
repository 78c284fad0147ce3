using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>
/// Regenerate only a time window (conditioning/types/noise_mask_cond.py TemporalRegionMask, what retake uses): the
/// denoise mask becomes 1 on the tokens whose time span [t_start, t_end) overlaps [<see cref="StartTime"/>,
/// <see cref="EndTime"/>) and 0 elsewhere, so every other token stays equal to the clean (given) latent. Video spans come
/// from the latent frame bounds mapped to pixel frames with the causal fix (the first latent frame is pixel frame 0
/// alone, then 8 frames each), divided by <see cref="Fps"/>; audio spans are the patchifier's bounds in seconds.
/// The comparison runs in float32 against the float32 bounds, as the reference's does.
/// </summary>
public sealed record TemporalRegionMask(double StartTime, double EndTime, double Fps)
{
    /// <summary>Sets the mask of the grid's tokens; tokens that conditioning appended after the grid keep theirs.</summary>
    public LatentState ApplyTo(LatentState state, VideoLatentTools tools)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = state.DenoiseMask.Device;
        var latentBounds = VideoLatentPatchifier.GridBounds(tools.Batch, tools.Frames, tools.Height, tools.Width, device);
        var pixelBounds = VideoLatentPatchifier.PixelCoords(latentBounds, tools.ScaleFactors, causalFix: true);
        var seconds = pixelBounds.Narrow(1, 0, 1).Squeeze(1).To(DType.Float32).Div(Fps);               // [B, T, 2]
        return Apply(state, seconds, scope);
    }

    public LatentState ApplyTo(LatentState state, AudioLatentTools tools)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var seconds = tools.Patchifier.Positions(tools.Batch, tools.Frames, state.DenoiseMask.Device).Squeeze(1); // [B, T, 2]
        return Apply(state, seconds, scope);
    }

    private LatentState Apply(LatentState state, Tensor seconds, DisposeScope scope)
    {
        if (!(EndTime > StartTime)) throw new ArgumentException($"the region [{StartTime}, {EndTime}) s is empty");
        var start = seconds.Narrow(-1, 0, 1);
        var end = seconds.Narrow(-1, 1, 1);
        var inRegion = end.Gt(StartTime).LogicalAnd(start.Lt(EndTime)).To(state.DenoiseMask.DType);    // [B, T, 1]
        long gridTokens = inRegion.Size(1), total = state.DenoiseMask.Size(1);
        if (total < gridTokens)
            throw new ArgumentException($"the state has {total} tokens, fewer than the {gridTokens} of its grid", nameof(state));
        var mask = total == gridTokens ? inRegion
            : Tensor.Cat(new[] { inRegion, state.DenoiseMask.Narrow(1, gridTokens, total - gridTokens) }, 1);
        return state with { DenoiseMask = scope.MoveToOuter(mask.Contiguous()) };
    }
}
