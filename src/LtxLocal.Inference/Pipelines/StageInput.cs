using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Schedulers;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>One denoising stage's inputs: the target grid, the schedule, the denoiser and sampler, and what it starts from.</summary>
public sealed record StageInput(int Width, int Height, int Frames, double Fps, IReadOnlyList<float> Sigmas, IDenoiser Denoiser,
    IDiffusionStep Stepper, IReadOnlyList<ConditioningImage> Images, bool Audio)
{
    /// <summary>A latent to start from (stage 2: the upsampled video, stage 1's audio), noised to <see cref="NoiseScale"/>.</summary>
    public Tensor? InitialVideo { get; init; }
    public Tensor? InitialAudio { get; init; }
    public double NoiseScale { get; init; } = 1.0;

    /// <summary>Each stream's spec when a pipeline sets more than a start latent (frozen, region, its own noise scale); overrides the three above.</summary>
    public StreamSpec? VideoSpec { get; init; }
    public StreamSpec? AudioSpec { get; init; }
}
