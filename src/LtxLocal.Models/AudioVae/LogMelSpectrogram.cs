using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The audio VAE's log-mel front end (ltx_core/model/audio_vae/ops.py AudioProcessor.waveform_to_mel after resampling;
/// torchaudio MelSpectrogram): centred STFT (reflect padding of n_fft/2 on both sides, periodic Hann window of n_fft,
/// hop), magnitude (power 1), Slaney-scale triangular mel filters from 0 Hz to rate/2 with Slaney area normalisation,
/// log(clamp(·, 1e-5)), laid out [B, C, T, mels] with T = 1 + n / hop. The STFT is a strided conv1d against a windowed
/// DFT basis; basis and filters are built once, and the transform runs in float64 (the reference's float32 FFT is
/// well within the fixtures' tolerance of it), returning the waveform's dtype.
/// </summary>
public sealed class LogMelSpectrogram : IDisposable
{
    private readonly Tensor _basis;      // [2 · bins, 1, n_fft]: windowed cos rows, then windowed −sin rows
    private readonly Tensor _filters;    // [mels, bins]

    public LogMelSpectrogram(int sampleRate, int nFft, int hopLength, int melBins)
    {
        if (nFft <= 0 || hopLength <= 0 || melBins <= 0) throw new ArgumentOutOfRangeException(nameof(nFft), "n_fft, hop and mel bins must be positive");
        (SampleRate, NFft, HopLength, MelBins) = (sampleRate, nFft, hopLength, melBins);
        using var scope = TorchRuntime.NewDisposeScope();
        _basis = scope.MoveToOuter(DftBasis(nFft)).DetachFromScope();
        _filters = scope.MoveToOuter(SlaneyFilters(sampleRate, nFft / 2 + 1, melBins, 0, sampleRate / 2.0)).DetachFromScope();
    }

    public int SampleRate { get; }
    public int NFft { get; }
    public int HopLength { get; }
    public int MelBins { get; }

    /// <summary>Waveform [B, C, n] at <see cref="SampleRate"/> → log-mel [B, C, 1 + n / hop, mels].</summary>
    public Tensor Forward(Tensor waveform)
    {
        if (waveform.Dim != 3) throw new ArgumentException($"waveform must be [batch, channels, samples], got [{string.Join(", ", waveform.Shape)}]");
        long batch = waveform.Size(0), channels = waveform.Size(1), samples = waveform.Size(2);
        if (samples <= NFft / 2)
            throw new ArgumentException($"{samples} samples at {SampleRate} Hz is too short for the mel front end (needs more than {NFft / 2})");
        using var scope = TorchRuntime.NewDisposeScope();
        var rows = waveform.Reshape(batch * channels, 1, samples).To(DType.Float64);
        var padded = F.Pad(rows, new long[] { NFft / 2, NFft / 2 }, PadMode.Reflect);
        var spectrum = F.Conv1d(padded, _basis.To(waveform.Device), stride: HopLength);      // [rows, 2 · bins, T]
        long bins = spectrum.Size(1) / 2;
        var magnitude = (spectrum.Narrow(1, 0, bins).Square() + spectrum.Narrow(1, bins, bins).Square()).Sqrt();
        var mel = _filters.To(waveform.Device).MatMul(magnitude).Clamp(1e-5).Log();             // [rows, mels, T]
        var laidOut = mel.Reshape(batch, channels, MelBins, mel.Size(2)).Permute(0, 1, 3, 2).Contiguous();
        return scope.MoveToOuter(laidOut.To(waveform.DType));
    }

    public void Dispose()
    {
        _basis.Dispose();
        _filters.Dispose();
    }

    // Row k: w[n]·cos(2πkn/N) and w[n]·(−sin(2πkn/N)), with k·n reduced mod N in integers so the angles stay exact.
    private static Tensor DftBasis(int nFft)
    {
        long bins = nFft / 2 + 1;
        var n = Tensor.Arange(nFft, DType.Int64);
        var k = Tensor.Arange(bins, DType.Int64);
        var angle = k.Reshape(bins, 1).Mul(n.Reshape(1, nFft)).Remainder(nFft).To(DType.Float64) * (2 * Math.PI / nFft);
        var window = 0.5 - (n.To(DType.Float64) * (2 * Math.PI / nFft)).Cos() * 0.5;            // periodic Hann
        var real = angle.Cos() * window;
        var imag = angle.Sin().Neg() * window;
        return Tensor.Cat(new[] { real, imag }, 0).Unsqueeze(1).Contiguous();
    }

    /// <summary>
    /// torchaudio melscale_fbanks(norm "slaney", mel_scale "slaney") transposed: [mels, bins]. Built in float32 as
    /// torchaudio builds it (its float32 band edges move the weights by ~1e-6, which shows in the log-mel), then widened.
    /// </summary>
    private static Tensor SlaneyFilters(int sampleRate, long bins, int melBins, double fMin, double fMax)
    {
        var frequencies = Tensor.Linspace(0, sampleRate / 2, bins, DType.Float32);               // rate // 2 as torchaudio
        var melPoints = Tensor.Linspace(HzToMel(fMin), HzToMel(fMax), melBins + 2, DType.Float32);
        var hzPoints = MelToHz(melPoints);
        var spacing = hzPoints.Narrow(0, 1, melBins + 1) - hzPoints.Narrow(0, 0, melBins + 1);
        var slopes = hzPoints.Unsqueeze(0) - frequencies.Unsqueeze(1);                        // [bins, mels + 2]
        var down = (slopes.Narrow(1, 0, melBins) * -1.0) / spacing.Narrow(0, 0, melBins);
        var up = slopes.Narrow(1, 2, melBins) / spacing.Narrow(0, 1, melBins);
        var triangles = down.Minimum(up).Clamp(min: 0);
        var width = hzPoints.Narrow(0, 2, melBins) - hzPoints.Narrow(0, 0, melBins);
        var area = Tensor.FullLike(width, 2.0) / width;
        return (triangles * area.Unsqueeze(0)).Transpose(0, 1).To(DType.Float64).Contiguous();
    }

    // Slaney's scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4).
    private const double LinearStep = 200.0 / 3, LogStartHz = 1000.0, LogStartMel = LogStartHz / LinearStep;
    private static readonly double LogStep = Math.Log(6.4) / 27.0;

    private static double HzToMel(double hz) => hz >= LogStartHz ? LogStartMel + Math.Log(hz / LogStartHz) / LogStep : hz / LinearStep;

    private static Tensor MelToHz(Tensor mels) =>
        Tensor.Where(mels.Ge(LogStartMel), ((mels - LogStartMel) * LogStep).Exp() * LogStartHz, mels * LinearStep);
}
