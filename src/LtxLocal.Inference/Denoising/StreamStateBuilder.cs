using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>
/// A stream's initial state from its <see cref="StreamSpec"/> (helpers.py create_noised_state + blocks.py _build_state):
/// the tools' initial state (zeros or the given latent, which is then also the clean latent), the conditionings
/// (images first, then the region mask), the Gaussian noiser with the spec's scale, and for a frozen stream the mask
/// zeroed and the state marked frozen. <paramref name="noise"/> draws the noiser's sample for a state (video first, then
/// audio, as the reference draws them), so a frozen or unnoised stream still consumes its draw.
/// </summary>
public static class StreamStateBuilder
{
    /// <param name="conditioning">image conditionings, which need the video VAE (see ImageConditioner); null for none</param>
    public static LatentState Video(VideoLatentTools tools, StreamSpec spec, DType dtype, Device device, Func<LatentState, Tensor> noise,
        Func<LatentState, LatentState>? conditioning = null)
    {
        RequireShape(spec.InitialLatent, new[] { tools.Batch, tools.Channels, tools.Frames, tools.Height, tools.Width }, "video");
        var state = tools.CreateInitialState(dtype, device, spec.InitialLatent?.To(device, dtype));
        if (conditioning is not null) state = conditioning(state);
        if (spec.Region is not null) state = spec.Region.ApplyTo(state, tools);
        return NoiseAndFreeze(state, spec, noise);
    }

    public static LatentState Audio(AudioLatentTools tools, StreamSpec spec, DType dtype, Device device, Func<LatentState, Tensor> noise)
    {
        RequireShape(spec.InitialLatent, new[] { tools.Batch, tools.Channels, tools.Frames, tools.MelBins }, "audio");
        var state = tools.CreateInitialState(dtype, device, spec.InitialLatent?.To(device, dtype));
        if (spec.Region is not null) state = spec.Region.ApplyTo(state, tools);
        return NoiseAndFreeze(state, spec, noise);
    }

    private static void RequireShape(Tensor? latent, long[] expected, string stream)
    {
        if (latent is not null && !latent.Shape.SequenceEqual(expected))
            throw new ArgumentException($"the initial {stream} latent is [{string.Join(", ", latent.Shape)}], the stage's grid needs [{string.Join(", ", expected)}]");
    }

    private static LatentState NoiseAndFreeze(LatentState state, StreamSpec spec, Func<LatentState, Tensor> noise)
    {
        var noised = state.Noised(noise(state), spec.NoiseScale);
        return spec.Frozen ? noised with { DenoiseMask = Tensor.ZerosLike(noised.DenoiseMask), Frozen = true } : noised;
    }
}
