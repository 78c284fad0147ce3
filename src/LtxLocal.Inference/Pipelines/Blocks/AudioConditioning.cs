using LtxLocal.Inference.Catalog;
using LtxLocal.Media;
using LtxLocal.Models.AudioVae;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The audio conditioner block (the reference's AudioConditioner): decodes a soundtrack from a file (an audio file, or
/// the audio stream of a video) and encodes it with the audio VAE encoder through the front end (resample, log-mel).
/// The encoder loads on first use: only audio-to-video, retake and extend need it.
/// </summary>
public sealed class AudioConditioning(string audioVaeFile, Device device, DType dtype, AudioFileDecoder decoder) : IDisposable
{
    private readonly object _gate = new();
    private AudioEncoder? _encoder;
    private AudioFrontEnd? _frontEnd;

    /// <summary>The conditioner of <paramref name="files"/>, or null when the model has no audio VAE.</summary>
    public static AudioConditioning? Load(ModelFiles files, Device device, DType dtype, FfmpegTools ffmpeg) =>
        files.AudioVae is null ? null : new AudioConditioning(files.AudioVae, device, dtype, new AudioFileDecoder(ffmpeg, new AudioLimits()));

    /// <summary>The first audio stream of <paramref name="path"/> from <paramref name="start"/>, at most <paramref name="seconds"/> long.</summary>
    public DecodedAudio Read(string path, double start, double seconds, CancellationToken cancellationToken) =>
        decoder.DecodeFileAsync(path, start, seconds, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Decoded PCM → normalised audio latent [1, z, T, mel] on the model's device.</summary>
    public Tensor Encode(DecodedAudio audio)
    {
        var (encoder, frontEnd) = Loaded();
        using var scope = TorchRuntime.NewDisposeScope();
        var waveform = AudioFrontEnd.StereoWaveform(audio.Interleaved, audio.Channels, device);
        return scope.MoveToOuter(frontEnd.Encode(encoder, waveform, audio.SampleRate));
    }

    private (AudioEncoder, AudioFrontEnd) Loaded()
    {
        lock (_gate)
        {
            if (_encoder is null)
            {
                using var file = SafetensorsFile.Open(audioVaeFile);
                _encoder = AudioVaeLoader.LoadEncoder(file, device, dtype);
                _frontEnd = AudioFrontEnd.For(_encoder.Config);
            }
            return (_encoder, _frontEnd!);
        }
    }

    public void Dispose()
    {
        _encoder?.Dispose();
        _frontEnd?.Dispose();
    }
}
