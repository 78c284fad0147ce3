using LtxLocal.Media;
using LtxLocal.Models.AudioVae;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// An extension's soundtrack, cut like its frames (<see cref="FrameSplice"/>): the source's sound for the source frames
/// (resampled to the decoder's rate, mono doubled, silence when the source has none) and the decoded sound of the new
/// span, each exactly as long as its frames, as interleaved stereo.
/// </summary>
public static class SplicedSoundtrack
{
    public static float[] Join(FrameSplice splice, float[] decoded, int rate, double fps)
    {
        long Samples(int frames) => (long)Math.Round(frames / fps * rate);
        var newSpan = Window(decoded, Samples(splice.Skip), Samples(splice.Take));
        var source = splice.SourceAudio is null ? [] : Stereo(splice.SourceAudio, rate);
        var before = Window(source, 0, Samples(splice.Before.Count));
        var after = Window(source, 0, Samples(splice.After.Count));
        return [.. before, .. newSpan, .. after];
    }

    /// <summary><paramref name="count"/> stereo samples from <paramref name="first"/>, zero-padded past the end.</summary>
    private static float[] Window(float[] stereo, long first, long count)
    {
        var window = new float[count * 2];
        long available = Math.Clamp(stereo.Length / 2 - first, 0, count);
        if (available > 0) Array.Copy(stereo, first * 2, window, 0, available * 2);
        return window;
    }

    private static float[] Stereo(DecodedAudio audio, int rate)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var waveform = AudioFrontEnd.StereoWaveform(audio.Interleaved, audio.Channels).Squeeze(0);   // [2, n]
        if (audio.SampleRate != rate)
        {
            using var resampler = new SincResampler(audio.SampleRate, rate);
            waveform = resampler.Forward(waveform.To(DType.Float64)).To(DType.Float32);
        }
        return waveform.Transpose(0, 1).Contiguous().ToArray<float>();
    }
}
