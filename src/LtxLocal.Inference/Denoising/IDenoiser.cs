using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>
/// One denoising call per step (ltx_pipelines/utils/types.py Denoiser): the x0 prediction of each present stream at
/// sigmas[step], before the conditioning mask is applied. A null state means that stream is not generated.
/// </summary>
public interface IDenoiser
{
    (Tensor? Video, Tensor? Audio) Denoise(LatentState? video, LatentState? audio, IReadOnlyList<float> sigmas, int step);
}

/// <summary>The text contexts of one prompt as the transformer takes them: video [B, S, Dv] and audio [B, S, Da].</summary>
public sealed record PromptContext(Tensor Video, Tensor? Audio);

/// <summary>How a state becomes the transformer's input, and how an x0 prediction is masked (utils/helpers.py).</summary>
public static class StateModality
{
    /// <summary>
    /// modality_from_latent_state: sigma [B], per-token timesteps = denoise mask · sigma, no text mask; a frozen
    /// stream gets sigma 0.
    /// </summary>
    public static Modality From(LatentState state, Tensor context, float sigma)
    {
        var batch = state.Latent.Size(0);
        var sigmas = Tensor.Full(new[] { batch }, state.Frozen ? 0f : sigma, DType.Float32, state.Latent.Device);
        var timesteps = state.DenoiseMask * sigmas.Reshape(batch, 1, 1);
        return new Modality(state.Latent, sigmas, timesteps, state.Positions, context) { KeyframesMask = state.KeyframesMask };
    }

    /// <summary>The model's x0 for one pass: latent − velocity·timesteps (X0Model).</summary>
    public static Tensor Denoised(Modality input, Tensor velocity) => LtxModel.ToDenoised(input.Latent, velocity, input.Timesteps);

    /// <summary>post_process_latent: x0·mask + clean·(1 − mask) in float32, back in x0's dtype.</summary>
    public static Tensor PostProcess(Tensor denoised, LatentState state)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var mask = state.DenoiseMask.To(DType.Float32);
        var blended = denoised.To(DType.Float32) * mask + state.CleanLatent.To(DType.Float32) * (1.0 - mask);
        return scope.MoveToOuter(blended.To(denoised.DType));
    }
}
