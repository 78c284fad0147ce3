namespace LtxLocal.Inference.Schedulers;

/// <summary>One sampler update: from the noisy sample at sigmas[i] and the model's x0 prediction to the sample at sigmas[i+1].</summary>
public interface IDiffusionStep
{
    /// <summary>The next sample, in <paramref name="sample"/>'s dtype. <paramref name="noise"/> is needed by stochastic steps only.</summary>
    Tensor Step(Tensor sample, Tensor denoised, IReadOnlyList<float> sigmas, int stepIndex, Tensor? noise = null);

    /// <summary>Whether <see cref="Step"/> needs fresh noise at this step.</summary>
    bool NeedsNoise(IReadOnlyList<float> sigmas, int stepIndex);
}
