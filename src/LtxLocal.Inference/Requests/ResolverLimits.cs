namespace LtxLocal.Inference.Requests;

/// <summary>The largest video the resolver lets through (a larger one is scaled down, keeping its aspect ratio).</summary>
public sealed record ResolverLimits(int MaxWidth = 1920, int MaxHeight = 1088);
