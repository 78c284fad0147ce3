using LtxLocal.Torch;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// Waveform to audio latent, as audio-to-video and retake condition on a soundtrack (audio_vae.py encode_audio with the
/// AudioProcessor it builds from the encoder's config): resample to the VAE's rate (<see cref="SincResampler"/>, one
/// kernel per source rate, kept), log-mel (<see cref="LogMelSpectrogram"/>), cast to the encoder's dtype, encode. The
/// encoder takes stereo; <see cref="StereoWaveform"/> turns decoded PCM into the [1, 2, n] it expects.
/// </summary>
public sealed class AudioFrontEnd : IDisposable
{
    private readonly Dictionary<int, SincResampler> _resamplers = new();

    public AudioFrontEnd(int sampleRate, int nFft, int hopLength, int melBins) =>
        Mel = new LogMelSpectrogram(sampleRate, nFft, hopLength, melBins);

    /// <summary>The front end of an audio VAE: its rate, STFT size, hop and mel bins (config defaults 16000 / 1024 / 160).</summary>
    public static AudioFrontEnd For(AudioVaeConfig config) => new(config.SampleRate, config.NFft, config.HopLength,
        config.MelBins ?? throw new ArgumentException("the audio VAE config names no mel bin count (ddconfig.mel_bins / preprocessing.mel.n_mel_channels)"));

    public LogMelSpectrogram Mel { get; }

    public int SampleRate => Mel.SampleRate;

    /// <summary>Waveform [B, C, n] at <paramref name="sampleRate"/> → log-mel [B, C, T, mels] at the VAE's rate.</summary>
    public Tensor WaveformToMel(Tensor waveform, int sampleRate)
    {
        using var resampled = Resample(waveform, sampleRate);
        return Mel.Forward(resampled);
    }

    /// <summary>[..., n] at <paramref name="sampleRate"/> → [..., n'] at the VAE's rate (an alias when the rates agree).</summary>
    public Tensor Resample(Tensor waveform, int sampleRate)
    {
        if (sampleRate == SampleRate) return waveform.Alias();
        lock (_resamplers)
        {
            if (!_resamplers.TryGetValue(sampleRate, out var resampler))
                _resamplers[sampleRate] = resampler = new SincResampler(sampleRate, SampleRate);
            return resampler.Forward(waveform);
        }
    }

    /// <summary>Waveform [B, 2, n] at <paramref name="sampleRate"/> → normalised latent [B, z, T', mels/4].</summary>
    public Tensor Encode(AudioEncoder encoder, Tensor waveform, int sampleRate)
    {
        if (waveform.Dim != 3 || waveform.Size(1) != encoder.Config.InChannels)
            throw new ArgumentException($"the audio encoder takes [batch, {encoder.Config.InChannels}, samples], got [{string.Join(", ", waveform.Shape)}]");
        using var scope = TorchRuntime.NewDisposeScope();
        var parameter = encoder.NamedParameters().First().Tensor;
        var mel = WaveformToMel(waveform.To(parameter.Device), sampleRate).To(parameter.DType);
        return scope.MoveToOuter(encoder.Forward(mel));
    }

    /// <summary>
    /// Interleaved PCM (frame-major: sample 0 of every channel, then sample 1...) → float32 [1, 2, n] on
    /// <paramref name="device"/>: stereo as is, mono duplicated to both channels. Other channel counts are refused
    /// (decode surround to stereo first).
    /// </summary>
    public static Tensor StereoWaveform(ReadOnlySpan<float> interleaved, int channels, Device? device = null)
    {
        if (channels is not (1 or 2)) throw new ArgumentException($"the audio VAE takes mono or stereo input, not {channels} channels");
        if (interleaved.Length % channels != 0) throw new ArgumentException($"{interleaved.Length} samples do not split into {channels} channels");
        using var scope = TorchRuntime.NewDisposeScope();
        long frames = interleaved.Length / channels;
        var planar = Tensor.From(interleaved, frames, channels).Transpose(0, 1);                    // [channels, n]
        var stereo = channels == 1 ? planar.Expand(2, frames) : planar;
        return scope.MoveToOuter(stereo.Unsqueeze(0).Contiguous().To(device ?? Device.Cpu));
    }

    public void Dispose()
    {
        Mel.Dispose();
        foreach (var resampler in _resamplers.Values) resampler.Dispose();
        _resamplers.Clear();
    }
}
