using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;
using System.Text.Json.Serialization;

namespace LtxLocal.Server.Contracts;

/// <summary>Source-generated JSON for every body the API writes or stores: snake_case names, nulls written out.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(SubmissionResponse))]
[JsonSerializable(typeof(DryRunResponse))]
[JsonSerializable(typeof(JobStatusResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(ModelsResponse))]
[JsonSerializable(typeof(ReadinessResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(StoredJob))]
[JsonSerializable(typeof(List<Adjustment>))]
[JsonSerializable(typeof(ProgressDto))]
[JsonSerializable(typeof(ResultDto))]
[JsonSerializable(typeof(JsonNode))]
public sealed partial class ApiJson : JsonSerializerContext;
