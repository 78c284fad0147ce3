namespace LtxLocal.Inference.Schedulers;

/// <summary>The fixed sigma lists of the distilled model (ltx_pipelines constants), as float32 like the reference's tensors.</summary>
public static class DistilledSigmas
{
    /// <summary>The distilled one-pass schedule (8 steps).</summary>
    public static IReadOnlyList<float> Stage1 { get; } = new[] { 1.0f, 0.99375f, 0.9875f, 0.98125f, 0.975f, 0.909375f, 0.725f, 0.421875f, 0.0f };

    /// <summary>The refinement schedule of the two-stage pipeline's second (full resolution) stage.</summary>
    public static IReadOnlyList<float> Stage2 { get; } = new[] { 0.909375f, 0.725f, 0.421875f, 0.0f };

    /// <summary>The short TDP schedule.</summary>
    public static IReadOnlyList<float> Tdp { get; } = new[] { 0.625f, 0.4f, 0.0f };
}
