namespace LtxLocal.Inference;

/// <summary>Where a generator writes its output; the server's implementation pipes it into ffmpeg.</summary>
public interface IFrameSink
{
    /// <summary>One frame, RGB24, request.Width * request.Height * 3 bytes, in presentation order.</summary>
    ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken);

    /// <summary>The whole audio track as interleaved float PCM in [-1, 1]; call at most once, before or after the frames.</summary>
    ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken);
}
