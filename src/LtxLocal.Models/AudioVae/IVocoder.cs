using LtxLocal.Torch;

namespace LtxLocal.Models.AudioVae;

/// <summary>A mel → waveform network: the LTX-2 HiFi-GAN <see cref="Vocoder"/> or the LTX-2.3+ <see cref="VocoderWithBwe"/>.</summary>
public interface IVocoder : IDisposable
{
    /// <summary>Sample rate of the waveform <see cref="Forward"/> returns.</summary>
    int OutputSamplingRate { get; }

    /// <summary>Log-mel [B, 2, T, mel] → waveform [B, 2, samples].</summary>
    Tensor Forward(Tensor mel);
}
