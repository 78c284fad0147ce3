using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The bandwidth extender's causal log-mel front end (ltx_core/model/audio_vae/vocoder.py <c>MelSTFT</c>): left-pad
/// win - hop zeros, STFT as a strided conv with the stored windowed DFT basis (<c>stft_fn.forward_basis</c>, real rows
/// then imaginary rows), magnitude, the stored <c>mel_basis</c>, log(clamp(·, 1e-5)). Bases are loaded, not recomputed,
/// so the mel the BWE generator sees is the one it was trained on.
/// </summary>
public sealed class MelStft : Module
{
    public MelStft(long nFft, long hopLength, long nMels, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        (NFft, HopLength) = (nFft, hopLength);
        long freqs = nFft / 2 + 1;
        Stft = RegisterModule("stft_fn", new StftBases(freqs, nFft, o));
        MelBasis = AddBuffer("mel_basis", NewTensor(new[] { nMels, freqs }, o));
    }

    public long NFft { get; }

    public long HopLength { get; }

    private StftBases Stft { get; }

    private TensorSlot MelBasis { get; }

    /// <summary>Waveform [N, T] → log-mel [N, mels, frames].</summary>
    public Tensor LogMel(Tensor waveform)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var padded = F.Pad(waveform.Unsqueeze(1), new[] { Math.Max(0, NFft - HopLength), 0 });
        var spectrum = F.Conv1d(padded, Stft.ForwardBasis.To(waveform.DType), stride: HopLength);
        long freqs = spectrum.Size(1) / 2;
        var real = spectrum.Narrow(1, 0, freqs);
        var imag = spectrum.Narrow(1, freqs, freqs);
        var magnitude = (real.Square() + imag.Square()).Sqrt();
        var mel = MelBasis.Value.To(magnitude.DType).MatMul(magnitude);
        return scope.MoveToOuter(mel.Clamp(1e-5).Log());
    }

    private sealed class StftBases : Module
    {
        private readonly TensorSlot _forwardBasis;

        public StftBases(long freqs, long nFft, ModuleOptions o)
        {
            _forwardBasis = AddBuffer("forward_basis", NewTensor(new[] { freqs * 2, 1, nFft }, o));
            // Stored in the checkpoint for the inverse transform; the forward pass never reads it.
            RegisterBuffer("inverse_basis", NewTensor(new[] { freqs * 2, 1, nFft }, o));
        }

        public Tensor ForwardBasis => _forwardBasis.Value;
    }
}
