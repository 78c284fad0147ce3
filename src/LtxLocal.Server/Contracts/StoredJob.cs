using LtxLocal.Inference.Requests;
using LtxLocal.Media;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// What the job row stores (so a restart loses nothing): the resolved request the worker runs and <c>parameters</c> echoes,
/// and where the result is delivered. Images are files under DataDir/inputs, already validated at submission.
/// TtlSeconds is the job's own retention (null: the server's), IncludeCost and Safety what the request asked for.
/// </summary>
public sealed record StoredJob(GenerationRequest Request, string? WebhookUrl, string? UploadUrl,
    long? TtlSeconds = null, bool IncludeCost = false, SafetyAsk? Safety = null)
{
    /// <summary>The inputs check was asked for but the checker failed and fails open: the result cannot say nsfw_content false.</summary>
    public bool InputsUnchecked { get; init; }

    public OutputFormat Format => OutputFormats.TryParse(Request.OutputFormat, out var f) ? f : OutputFormat.Mp4;

    /// <summary>How long the job is kept after it ends: its ttl, else Ltx:ResultTtlHours.</summary>
    public TimeSpan Retention(TimeSpan serverDefault) => TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : serverDefault;
}
