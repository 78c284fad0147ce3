using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// Band-limited resampling as <c>torchaudio.functional.resample</c> does it with its defaults (Hann-windowed sinc,
/// 6 zero crossings, rolloff 0.99): both rates divided by their gcd, one polyphase kernel per output phase
/// [new, 1, 2·width + orig], the input zero-padded by width before and width + orig after, a strided conv1d, the phases
/// interleaved, and the output cut to ceil(new · n / orig) samples. The kernel is built once, in float64, and the
/// resampling runs in float64 (the reference computes in the waveform's float32; float64 lands within a tenth of the
/// fixtures' tolerance of it); the result comes back in the input's dtype.
/// </summary>
public sealed class SincResampler : IDisposable
{
    private readonly Tensor _kernel;
    private readonly long _orig, _new, _width;

    public SincResampler(int fromRate, int toRate, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        if (fromRate <= 0 || toRate <= 0) throw new ArgumentOutOfRangeException(nameof(fromRate), $"sample rates must be positive ({fromRate} -> {toRate})");
        (FromRate, ToRate) = (fromRate, toRate);
        long gcd = Gcd(fromRate, toRate);
        (_orig, _new) = (fromRate / gcd, toRate / gcd);
        double baseFreq = Math.Min(_orig, _new) * rolloff;
        _width = (long)Math.Ceiling(lowpassFilterWidth * _orig / baseFreq);

        using var scope = TorchRuntime.NewDisposeScope();
        // Sample offsets of every tap relative to every output phase, in input periods, scaled to the cutoff.
        var taps = Tensor.Arange(-_width, _width + _orig, 1, DType.Float64).Reshape(1, 1, -1) / _orig;
        var phases = Tensor.Arange(0, -_new, -1, DType.Float64).Reshape(-1, 1, 1) / _new;
        var t = ((phases + taps) * baseFreq).Clamp(-lowpassFilterWidth, lowpassFilterWidth);
        var window = (t * Math.PI / lowpassFilterWidth / 2).Cos().Square();
        t = t * Math.PI;
        var sinc = Tensor.Where(t.Eq(0), Tensor.OnesLike(t), t.Sin() / t);
        _kernel = scope.MoveToOuter(sinc * window * (baseFreq / _orig)).DetachFromScope();   // [new, 1, taps]
    }

    public int FromRate { get; }

    public int ToRate { get; }

    /// <summary>Output length for <paramref name="samples"/> input samples: ceil(new · n / orig).</summary>
    public long OutputLength(long samples) => (long)Math.Ceiling((double)(_new * samples) / _orig);

    /// <summary>[..., n] at <see cref="FromRate"/> → [..., ceil(n · to / from)] at <see cref="ToRate"/>.</summary>
    public Tensor Forward(Tensor waveform)
    {
        if (FromRate == ToRate) return waveform.Alias();
        using var scope = TorchRuntime.NewDisposeScope();
        var shape = waveform.Shape;
        long length = shape[^1];
        var rows = waveform.Reshape(-1, length).To(DType.Float64);
        var padded = F.Pad(rows.Unsqueeze(1), new[] { _width, _width + _orig });
        var phases = F.Conv1d(padded, _kernel.To(waveform.Device), stride: _orig);        // [rows, new, frames]
        var interleaved = phases.Transpose(1, 2).Reshape(rows.Size(0), -1).Narrow(1, 0, OutputLength(length));
        var outShape = shape.ToArray();
        outShape[^1] = interleaved.Size(1);
        return scope.MoveToOuter(interleaved.Reshape(outShape).To(waveform.DType));
    }

    public void Dispose() => _kernel.Dispose();

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
}
