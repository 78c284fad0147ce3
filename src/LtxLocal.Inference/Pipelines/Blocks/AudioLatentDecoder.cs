using LtxLocal.Inference.Catalog;
using LtxLocal.Models.AudioVae;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>The audio decoder block: audio VAE decoder + vocoder, latent → interleaved stereo float PCM cut to the video's length.</summary>
public sealed class AudioLatentDecoder(AudioDecoder decoder, IVocoder vocoder) : IDisposable
{
    public AudioDecoder Decoder => decoder;

    /// <summary>The audio decoder and vocoder of <paramref name="files"/>, or null when the model has no soundtrack.</summary>
    public static AudioLatentDecoder? Load(ModelFiles files, Device device, DType dtype)
    {
        if (files.AudioVae is null || files.Vocoder is null) return null;
        using var audio = SafetensorsFile.Open(files.AudioVae);
        using var vocoderFile = SafetensorsFile.Open(files.Vocoder);
        var decoder = AudioVaeLoader.LoadDecoder(audio, device, dtype);
        try
        {
            return new AudioLatentDecoder(decoder, AudioVaeLoader.LoadVocoder(vocoderFile, device));
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
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
