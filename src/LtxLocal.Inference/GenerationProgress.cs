namespace LtxLocal.Inference;

/// <summary>
/// Where the generator is: stage is one of queued, loading, enhancing_prompt, encoding_text, denoising, upsampling,
/// decoding, muxing; Step/TotalSteps count within the stage (denoising: across its stages); Fraction is overall, 0..1,
/// and never decreases during a run.
/// </summary>
public sealed record GenerationProgress(string Stage, int Step, int TotalSteps, double Fraction);
