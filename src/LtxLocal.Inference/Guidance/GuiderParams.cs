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

    /// <summary>Plain CFG with <paramref name="scale"/> (the one-stage pipeline's documented knob).</summary>
    public static GuiderParams Cfg(double scale) => new(CfgScale: scale);
}

/// <summary>The reference CLIs' default steps and guider settings per model generation (detect_params).</summary>
public sealed record GenerationDefaults(int Steps, GuiderParams Video, GuiderParams Audio)
{
    public static readonly GenerationDefaults Ltx2 = new(40,
        new GuiderParams(3.0, 1.0, new[] { 29 }, 0.7, 3.0),
        new GuiderParams(7.0, 1.0, new[] { 29 }, 0.7, 3.0));

    public static readonly GenerationDefaults Ltx23 = new(30,
        new GuiderParams(3.0, 1.0, new[] { 28 }, 0.7, 3.0),
        new GuiderParams(7.0, 1.0, new[] { 28 }, 0.7, 3.0));

    /// <summary>The 2.3 "HQ" preset: fewer steps, no STG, stronger audio rescale.</summary>
    public static readonly GenerationDefaults Ltx23Hq = new(15,
        new GuiderParams(3.0, 0.0, Array.Empty<int>(), 0.45, 3.0),
        new GuiderParams(7.0, 0.0, Array.Empty<int>(), 1.0, 3.0));

    /// <summary>LTX_2_3_PARAMS for model_version >= 2.3 (2.4+ uses the same values), else LTX_2_PARAMS.</summary>
    public static GenerationDefaults For(Version? modelVersion) =>
        modelVersion is not null && modelVersion >= new Version(2, 3) ? Ltx23 : Ltx2;
}
