namespace LtxLocal.Inference.Schedulers;

/// <summary>
/// First-order Euler in the velocity form (EulerDiffusionStep): v = (x - x0) / sigma, x' = x + v·(sigma_next - sigma),
/// in float32. The sigma difference is a float32 subtraction, as the reference subtracts two float32 tensor elements.
/// </summary>
public sealed class EulerStep : IDiffusionStep
{
    public Tensor Step(Tensor sample, Tensor denoised, IReadOnlyList<float> sigmas, int stepIndex, Tensor? noise = null)
    {
        float sigma = sigmas[stepIndex], next = sigmas[stepIndex + 1];
        if (sigma == 0) throw new ArgumentException("Euler step from sigma 0");
        float dt = next - sigma;
        using var scope = TorchRuntime.NewDisposeScope();
        var x = sample.To(DType.Float32);
        // The reference rounds the velocity to the sample's dtype before the update (a no-op in float32).
        var velocity = ((x - denoised.To(DType.Float32)) / sigma).To(sample.DType).To(DType.Float32);
        var result = (x + velocity * dt).To(sample.DType);
        return result.MoveToOuterScope();
    }

    public bool NeedsNoise(IReadOnlyList<float> sigmas, int stepIndex) => false;
}
