namespace LtxLocal.Inference;

/// <summary>
/// Produces one video (and optionally its audio) for a resolved request. <paramref name="images"/> are the request's
/// conditioning images, decoded, in the order of <see cref="GenerationRequest.Images"/>. Frames go to the sink as they
/// are decoded, so a pipeline can stream a long video to the encoder without holding it in memory. Honour the
/// cancellation token between steps: the server uses it for job cancellation and for graceful shutdown. Disposing the
/// generator frees its weights.
/// </summary>
public interface IVideoGenerator : IDisposable
{
    Task<GenerationOutcome> GenerateAsync(
        GenerationRequest request,
        IReadOnlyList<ConditioningImage> images,
        IFrameSink sink,
        IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken);
}
