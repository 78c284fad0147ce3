namespace LtxLocal.Inference.Requests;

/// <summary>The resolver's answer: the request to run, every change made to what was asked, and the memory estimate (null without one).</summary>
public sealed record ResolvedGeneration(GenerationRequest Request, IReadOnlyList<Adjustment> Adjustments, MemoryEstimate? Memory);
