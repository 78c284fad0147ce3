using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// <c>result.manifest</c>, also written into the output file's metadata (MP4/MOV <c>comment</c>, WebM <c>COMMENT</c>): what
/// produced the file, and nothing that changes between two runs of the same request (no job id, no times, no memory
/// budget), so the same request on the same machine writes the same bytes, manifest included. <c>parameters</c> is a body
/// for <c>endpoint</c>; <c>inputs</c> the SHA-256 of the images or media it was given, which a re-submission must send again.
/// </summary>
public sealed record ManifestDto(
    long Seed, JsonObject Parameters, string Model, IReadOnlyList<WeightDigestDto> Weights, IReadOnlyList<RequestLora> Loras,
    string? MemoryPlan, string? Libtorch, string? Cuda, string Version, string Endpoint, IReadOnlyList<InputDigestDto> Inputs);

/// <summary>One weight file: its path inside the model's folder, its size and its SHA-256 (lowercase hex).</summary>
public sealed record WeightDigestDto(string File, long Bytes, string Sha256);

/// <summary>
/// One input the job was given: the request field it came in (<c>image</c>, <c>frame_images</c>, <c>audio</c>, <c>video</c>),
/// the frame it pins and its strength (images), and its SHA-256 as stored after validation.
/// </summary>
public sealed record InputDigestDto(string Field, int? Frame, double? Strength, string Sha256);
