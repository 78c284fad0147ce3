using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>200 body of a dry run: what would be queued, and the memory the estimator expects.</summary>
public sealed record DryRunResponse(
    string Status, string Model, ParametersDto Parameters, IReadOnlyList<Adjustment>? Adjustments, MemoryEstimate? MemoryEstimate);
