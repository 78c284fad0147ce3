using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// A body whose fields are each well-formed: the generation as asked (<see cref="GenerationAsk"/>, resolved later against
/// the model) and what only the server handles: the model name, where the images come from, how many results, delivery,
/// retention (ttl, seconds as asked: the range is applied with an adjustment), cost reporting and content checks.
/// </summary>
public sealed record SubmissionRequest(
    string Model, GenerationAsk Ask, string? ImageUri, IReadOnlyList<FrameImageRef> FrameImages, int NumberResults,
    string? WebhookUrl, string? UploadUrl, bool DryRun, long? Ttl = null, bool IncludeCost = false, SafetyAsk? Safety = null);
