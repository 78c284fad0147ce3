namespace LtxLocal.Media;

/// <summary>
/// Decoded PCM: float samples in [-1, 1], interleaved frame-major (sample 0 of every channel, then sample 1, ...), at the
/// file's own rate and channel count.
/// </summary>
public sealed record DecodedAudio(float[] Interleaved, int SampleRate, int Channels, string Codec)
{
    /// <summary>Samples per channel.</summary>
    public long Frames => Interleaved.Length / Channels;

    public double DurationSeconds => (double)Frames / SampleRate;
}
