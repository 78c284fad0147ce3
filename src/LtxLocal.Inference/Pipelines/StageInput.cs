using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// One denoising stage's inputs: the target grid, the schedule, the denoiser (built on the transformer once the stage
/// holds it) and sampler, and what it starts from.
/// </summary>
public sealed record StageInput(int Width, int Height, int Frames, double Fps, IReadOnlyList<float> Sigmas, Func<LtxModel, IDenoiser> Denoiser,
    IDiffusionStep Stepper, IReadOnlyList<ConditioningImage> Images, bool Audio)
{
    /// <summary>The LoRAs in the transformer for this stage: the request's, then the distilled one when set.</summary>
    public IReadOnlyList<RequestLora> Loras { get; init; } = [];
    public bool DistilledLora { get; init; }

    /// <summary>A latent to start from (stage 2: the upsampled video, stage 1's audio), noised to <see cref="NoiseScale"/>.</summary>
    public Tensor? InitialVideo { get; init; }
    public Tensor? InitialAudio { get; init; }
    public double NoiseScale { get; init; } = 1.0;

    /// <summary>Each stream's spec when a pipeline sets more than a start latent (frozen, region, its own noise scale); overrides the three above.</summary>
    public StreamSpec? VideoSpec { get; init; }
    public StreamSpec? AudioSpec { get; init; }
}
