namespace LtxLocal.Inference.Schedulers;

/// <summary>
/// Ancestral Euler for rectified flow (EulerAncestralDiffusionStep; alpha = 1 - sigma): step deterministically down to
/// sigma_down = sigma_next·(1 + (sigma_next/sigma - 1)·eta), then re-noise up to sigma_next keeping the variance.
/// eta = 0 is plain Euler; the distilled pipeline of 2.5+ uses eta = 1. All scalar arithmetic is float32, as the
/// reference does it on 0-dim float32 tensors.
/// </summary>
public sealed class EulerAncestralStep(double eta = 1.0, double noiseScale = 1.0) : IDiffusionStep
{
    public double Eta { get; } = eta;

    public double NoiseScale { get; } = noiseScale;

    public bool NeedsNoise(IReadOnlyList<float> sigmas, int stepIndex) => Eta > 0 && sigmas[stepIndex + 1] != 0;

    public Tensor Step(Tensor sample, Tensor denoised, IReadOnlyList<float> sigmas, int stepIndex, Tensor? noise = null)
    {
        float sigma = sigmas[stepIndex], next = sigmas[stepIndex + 1];
        if (next == 0) return denoised.To(sample.DType);
        if (Eta > 0 && noise is null) throw new ArgumentException("the ancestral step needs noise when eta > 0");

        float eta = (float)Eta;
        float downRatio = 1.0f + (next / sigma - 1.0f) * eta;
        float sigmaDown = next * downRatio;
        float ratio = sigmaDown / sigma;

        using var scope = TorchRuntime.NewDisposeScope();
        var x = sample.To(DType.Float32);
        var x0 = denoised.To(DType.Float32);
        var stepped = ratio * x + (1.0f - ratio) * x0;
        if (Eta > 0)
        {
            float alphaNext = 1.0f - next, alphaDown = 1.0f - sigmaDown;
            float variance = next * next - sigmaDown * sigmaDown * (alphaNext * alphaNext) / (alphaDown * alphaDown);
            float renoise = MathF.Sqrt(MathF.Max(variance, 0f));
            stepped = (alphaNext / alphaDown) * stepped + noise!.To(DType.Float32) * (float)NoiseScale * renoise;
        }
        return stepped.To(sample.DType).MoveToOuterScope();
    }
}
