using LtxLocal.Media;

namespace LtxLocal.Inference;

/// <summary>The generator's frame sink, wired straight into ffmpeg's stdin through <see cref="VideoEncoder"/>.</summary>
public sealed class EncoderSink(VideoEncoder encoder) : IFrameSink
{
    public bool HasAudio { get; private set; }

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken) =>
        encoder.WriteFrameAsync(rgb24, cancellationToken);

    public ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken)
    {
        if (HasAudio) throw new InvalidOperationException("the audio track was already written");
        encoder.SetAudio(interleavedPcm.Span, sampleRate, channels);
        HasAudio = true;
        return ValueTask.CompletedTask;
    }
}
