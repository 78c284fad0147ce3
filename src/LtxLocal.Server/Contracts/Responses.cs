using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>202 body. Ids lists every job of the request (number_results &gt; 1 makes several).</summary>
public sealed record SubmissionResponse(
    string Id, IReadOnlyList<string> Ids, string Status, DateTimeOffset CreatedAt, string Model,
    ParametersDto Parameters, IReadOnlyList<Adjustment>? Adjustments);

/// <summary>200 body of a dry run: what would be queued, and the memory the estimator expects.</summary>
public sealed record DryRunResponse(
    string Status, string Model, ParametersDto Parameters, IReadOnlyList<Adjustment>? Adjustments, MemoryEstimate? MemoryEstimate);

public sealed record ProgressDto(string Stage, int Step, int TotalSteps, double Fraction);

/// <summary>
/// Extension fields: <c>upload</c>, <c>enhanced_prompt</c> (the prompt encoded when enhance_prompt rewrote it) and
/// <c>ran</c> (what the denoising really ran: steps per stage, the guider's CFG scales). <c>cost</c> when include_cost was
/// set; <c>nsfw_content</c> false when the checks the request asked for (safety) passed, null when none ran.
/// </summary>
public sealed record ResultDto(
    string ContentType, long Bytes, int Width, int Height, int NumFrames, double Fps, double Duration,
    bool HasAudio, long Seed, IReadOnlyDictionary<string, double> Timings, UploadDto? Upload, string? EnhancedPrompt = null,
    RanSettings? Ran = null, CostDto? Cost = null, bool? NsfwContent = null);

/// <summary>Extension: what happened to the PUT to upload_url.</summary>
public sealed record UploadDto(string Status, string? Message);

public sealed record JobStatusResponse(
    string Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt, ProgressDto? Progress, int? QueuePosition, string Model, ParametersDto Parameters,
    IReadOnlyList<Adjustment>? Adjustments, ResultDto? Result, ErrorDetail? Error, string? ModelKind = null, string? ModelNotice = null);

public sealed record ModelsResponse(string Object, IReadOnlyList<ModelDto> Data);

/// <summary>State: "ready", or "unavailable" with the reason. Kind "tiny" (with its notice) marks the random-weight test model.</summary>
public sealed record ModelDto(
    string Id, IReadOnlyList<string> Aliases, bool Default, IReadOnlyList<string> Pipelines, bool HasAudio,
    string State, string? Reason, string? Description, string Kind, string? Notice);

public sealed record ReadinessResponse(
    bool Ready, IReadOnlyDictionary<string, CheckDto> Checks, string? Type = null, ErrorDetail? Error = null, ClusterDto? Cluster = null);

public sealed record CheckDto(bool Ok, string Detail);
