namespace LtxLocal.Inference.Denoising;

/// <summary>
/// How one stream's initial state is built for a stage (pipelines/utils/types.py ModalitySpec): the latent it starts
/// from (unpatchified: video [B, C, F, H, W], audio [B, C, T, mel]; zeros when null), the region to regenerate, the
/// noise scale of the Gaussian noiser, and whether the stream is held frozen. A frozen stream's mask is zeroed after
/// noising, so with noise scale 0 it never moves, and with 1 (retake's default for a kept stream) it starts as the
/// noise draw and the Euler steps walk it back to the given latent by sigma 0.
/// </summary>
public sealed record StreamSpec
{
    public Tensor? InitialLatent { get; init; }

    public TemporalRegionMask? Region { get; init; }

    public double NoiseScale { get; init; } = 1.0;

    public bool Frozen { get; init; }

    /// <summary>Generate from noise: no given latent, no region, noise scale 1.</summary>
    public static StreamSpec Generate { get; } = new();

    /// <summary>A given latent held fixed, unnoised (audio-to-video's driving audio).</summary>
    public static StreamSpec FrozenAt(Tensor latent, double noiseScale = 0.0) =>
        new() { InitialLatent = latent, Frozen = true, NoiseScale = noiseScale };
}
