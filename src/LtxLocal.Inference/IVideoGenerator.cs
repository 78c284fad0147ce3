namespace LtxLocal.Inference;

/// <summary>
/// Produces one video (and optionally its audio) for a resolved request. Frames go to the sink
/// as they are decoded, so a pipeline can stream a long video to the encoder without holding it
/// in memory. Honour <paramref name="cancellationToken"/> between steps: the server uses it for
/// job cancellation and for graceful shutdown.
/// </summary>
public interface IVideoGenerator
{
    Task<GenerationOutcome> GenerateAsync(
        GenerationRequest request,
        IFrameSink sink,
        IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken);
}

/// <summary>Where a generator writes its output; the server's implementation pipes it into ffmpeg.</summary>
public interface IFrameSink
{
    /// <summary>One frame, RGB24, request.Width * request.Height * 3 bytes, in presentation order.</summary>
    ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken);

    /// <summary>The whole audio track as interleaved float PCM in [-1, 1]; call at most once, before or after the frames.</summary>
    ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken);
}

/// <summary>
/// Where the generator is: stage is one of queued, enhancing_prompt, encoding_text, denoising, upsampling,
/// decoding, muxing; Step/TotalSteps count within the stage; Fraction is overall, 0..1.
/// </summary>
public sealed record GenerationProgress(string Stage, int Step, int TotalSteps, double Fraction);
