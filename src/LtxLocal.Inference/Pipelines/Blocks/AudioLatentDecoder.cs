using LtxLocal.Inference.Catalog;
using LtxLocal.Models.AudioVae;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>The audio decoder block: audio VAE decoder + vocoder, latent → interleaved stereo float PCM cut to the video's length.</summary>
public sealed class AudioLatentDecoder(AudioDecoder decoder, IVocoder vocoder) : IDisposable
{
    public AudioDecoder Decoder => decoder;

    public long WeightBytes => Blocks.WeightBytes.Of(decoder, vocoder);

    /// <summary>The audio decoder and vocoder of a model with a soundtrack (<see cref="ModelFiles.AudioVae"/> and <see cref="ModelFiles.Vocoder"/> set).</summary>
    public static AudioLatentDecoder Load(ModelFiles files, Device device, DType dtype)
    {
        using var audio = SafetensorsFile.Open(files.AudioVae!);
        using var vocoderFile = SafetensorsFile.Open(files.Vocoder!);
        return PartialLoad.Then(AudioVaeLoader.LoadDecoder(audio, device, dtype), d => new AudioLatentDecoder(d, AudioVaeLoader.LoadVocoder(vocoderFile, device)));
    }

    public (float[] Pcm, int Rate) Decode(Tensor latent, double seconds)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var waveform = AudioVaeLoader.DecodeAudio(latent, decoder, vocoder);       // [2, samples]
        int rate = vocoder.OutputSamplingRate;
        long samples = Math.Min(waveform.Size(1), (long)Math.Round(seconds * rate));
        var interleaved = waveform.Narrow(1, 0, samples).Transpose(0, 1).Clamp(-1, 1).To(Device.Cpu, DType.Float32).Contiguous();
        return (interleaved.ToArray<float>(), rate);
    }

    public void Dispose()
    {
        decoder.Dispose();
        vocoder.Dispose();
    }
}
