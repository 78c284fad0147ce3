using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// LTX-2.3+ vocoder with bandwidth extension (ltx_core/model/audio_vae/vocoder.py <c>VocoderWithBWE</c>): the BigVGAN
/// <c>vocoder</c> makes 16 kHz audio, padded to a multiple of the hop; its causal log-mel (<c>mel_stft</c>) drives the
/// <c>bwe_generator</c>, whose 48 kHz residual is added to a 3x Hann-sinc resample of the 16 kHz signal, clamped to
/// [-1, 1] and cut to 3x the 16 kHz length. Runs in float32 whatever the weights are stored in.
/// </summary>
public sealed class VocoderWithBwe : Module, IVocoder
{
    public VocoderWithBwe(VocoderConfig vocoder, VocoderConfig bwe, int nFft, int hopLength, int numMels, int inputRate, int outputRate,
        ModuleOptions? options = null)
    {
        (InputSamplingRate, OutputSamplingRate, HopLength) = (inputRate, outputRate, hopLength);
        Main = RegisterModule("vocoder", new Vocoder(vocoder, true, options));
        BweGenerator = RegisterModule("bwe_generator", new Vocoder(bwe, applyFinalActivation: false, options));
        Mel = RegisterModule("mel_stft", new MelStft(nFft, hopLength, numMels, options));
        Resampler = new HannUpsampler(outputRate / inputRate);
    }

    public int InputSamplingRate { get; }

    public int OutputSamplingRate { get; }

    public int HopLength { get; }

    public Vocoder Main { get; }

    private Vocoder BweGenerator { get; }

    private MelStft Mel { get; }

    private HannUpsampler Resampler { get; }

    /// <summary>The 16 kHz vocoder alone (what the BWE extends).</summary>
    public Tensor LowRate(Tensor mel) => Main.Forward(mel.To(DType.Float32));

    /// <summary>Mel [B, 2, T, mel] → waveform [B, 2, T · hop · 3] at <see cref="OutputSamplingRate"/>.</summary>
    public Tensor Forward(Tensor mel)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = LowRate(mel); // [B, 2, L]
        long length = x.Size(2), outputLength = length * OutputSamplingRate / InputSamplingRate;
        if (length % HopLength != 0) x = F.Pad(x, new[] { 0, HopLength - length % HopLength });
        long b = x.Size(0), c = x.Size(1);
        var logMel = Mel.LogMel(x.Reshape(b * c, -1));                                // [B·2, mels, frames]
        var melForBwe = logMel.Reshape(b, c, logMel.Size(1), logMel.Size(2)).Transpose(2, 3); // [B, 2, frames, mels]
        var residual = BweGenerator.Forward(melForBwe);
        var skip = Resampler.Forward(x);
        if (!residual.Shape.SequenceEqual(skip.Shape))
            throw new InvalidOperationException($"BWE residual [{string.Join(", ", residual.Shape)}] and skip [{string.Join(", ", skip.Shape)}] differ");
        var output = (residual + skip).Clamp(-1, 1);
        return scope.MoveToOuter(output.Narrow(2, 0, outputLength).Contiguous().To(mel.DType));
    }
}
