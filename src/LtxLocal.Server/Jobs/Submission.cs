namespace LtxLocal.Server.Jobs;

/// <summary>
/// One parsed request for <see cref="SubmissionService.SubmitAllAsync"/>: its image, its source media (audio-to-video,
/// retake, extend), and, when several are submitted together (a sweep's cells), the label its refusals are prefixed with.
/// </summary>
public sealed record Submission(SubmissionRequest Request, LoadedImage? Image, byte[]? SourceData = null, string? Label = null);
