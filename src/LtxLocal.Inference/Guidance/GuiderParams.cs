namespace LtxLocal.Inference.Guidance;

/// <summary>
/// The multi-modal guidance settings of one modality (MultiModalGuiderParams): classifier-free guidance on the text,
/// spatio-temporal guidance (STG) against a pass with perturbed attention in <see cref="StgBlocks"/>, modality guidance
/// against a pass without the other modality, and rescaling of the result's spread towards the conditional one.
/// </summary>
public sealed record GuiderParams(
    double CfgScale = 1.0,
    double StgScale = 0.0,
    IReadOnlyList<int>? StgBlocks = null,
    double RescaleScale = 0.0,
    double ModalityScale = 1.0,
    int SkipStep = 0)
{
    public IReadOnlyList<int> Blocks => StgBlocks ?? Array.Empty<int>();

    /// <summary>A second pass with the negative prompt is needed.</summary>
    public bool UsesUnconditionalText => Math.Abs(CfgScale - 1.0) > 1e-9;

    /// <summary>A pass with the STG perturbation is needed.</summary>
    public bool UsesPerturbed => Math.Abs(StgScale) > 1e-9;

    /// <summary>A pass with the other modality isolated is needed.</summary>
    public bool UsesIsolatedModality => Math.Abs(ModalityScale - 1.0) > 1e-9;

    /// <summary>Guidance is skipped (the last guided result reused) on steps where this holds.</summary>
    public bool ShouldSkipStep(int step) => SkipStep != 0 && step % (SkipStep + 1) != 0;
}
