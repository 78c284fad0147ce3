using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// Extension fields: <c>upload</c>, <c>enhanced_prompt</c> (the prompt encoded when enhance_prompt rewrote it) and
/// <c>ran</c> (what the denoising really ran: steps per stage, the guider's CFG scales). <c>cost</c> when include_cost was
/// set; <c>peak_memory</c> the generator's measured peak (ledger bytes, CUDA allocator bytes); <c>nsfw_content</c> false when the checks the request asked for (safety) passed, null when none ran.
/// <c>manifest</c>: what reproduces the file (<see cref="ManifestDto"/>).
/// </summary>
public sealed record ResultDto(
    string ContentType, long Bytes, int Width, int Height, int NumFrames, double Fps, double Duration,
    bool HasAudio, long Seed, IReadOnlyDictionary<string, double> Timings, UploadDto? Upload, string? EnhancedPrompt = null,
    RanSettings? Ran = null, CostDto? Cost = null, bool? NsfwContent = null, ManifestDto? Manifest = null, PeakMemory? PeakMemory = null);
