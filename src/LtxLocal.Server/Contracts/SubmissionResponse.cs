using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>202 body. Ids lists every job of the request (number_results &gt; 1 makes several).</summary>
public sealed record SubmissionResponse(
    string Id, IReadOnlyList<string> Ids, string Status, DateTimeOffset CreatedAt, string Model,
    ParametersDto Parameters, IReadOnlyList<Adjustment>? Adjustments);
