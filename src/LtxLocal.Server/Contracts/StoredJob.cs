using LtxLocal.Inference.Requests;
using LtxLocal.Media;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// What the job row stores (so a restart loses nothing): the resolved request the worker runs and <c>parameters</c> echoes,
/// and where the result is delivered. Images are files under DataDir/inputs, already validated at submission.
/// </summary>
public sealed record StoredJob(GenerationRequest Request, string? WebhookUrl, string? UploadUrl)
{
    public OutputFormat Format => OutputFormats.TryParse(Request.OutputFormat, out var f) ? f : OutputFormat.Mp4;
}
