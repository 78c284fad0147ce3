using LtxLocal.Models.AudioVae;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.AudioVae;

/// <summary>The front end's pieces against closed-form expectations: a resampled tone, channel layout, length rules.</summary>
public class AudioFrontEndTests
{
    [Theory]
    [InlineData(44100, 16000, 440.0)]
    [InlineData(48000, 16000, 1000.0)]
    [InlineData(8000, 16000, 300.0)]
    public void Resampled_tone_is_the_same_tone_at_the_new_rate(int from, int to, double hz)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long n = from / 2;
        var input = (Tensor.Arange(n, DType.Float64) * (2 * Math.PI * hz / from)).Sin().To(DType.Float32).Reshape(1, 1, n);
        using var resampler = new SincResampler(from, to);
        var output = resampler.Forward(input);
        long expectedLength = (long)Math.Ceiling((double)n * to / from);
        Assert.Equal(new long[] { 1, 1, expectedLength }, output.Shape);
        // Away from the edges (where the zero padding is inside the filter's reach) the output is the tone sampled at the new rate.
        long margin = to / 50;
        var inner = output.Narrow(2, margin, expectedLength - 2 * margin).To(DType.Float64);
        var expected = ((Tensor.Arange(expectedLength, DType.Float64) * (2 * Math.PI * hz / to)).Sin()).Narrow(0, margin, expectedLength - 2 * margin);
        double error = (inner.Reshape(-1) - expected).Abs().Amax().Item();
        Assert.True(error < 2e-3, $"resampled tone deviates by {error}");
    }

    [Fact]
    public void Mono_is_duplicated_and_stereo_deinterleaved()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var mono = AudioFrontEnd.StereoWaveform(new float[] { 0.1f, 0.2f, 0.3f }, 1);
        Assert.Equal(new long[] { 1, 2, 3 }, mono.Shape);
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f, 0.1f, 0.2f, 0.3f }, mono.ToArray<float>());
        var stereo = AudioFrontEnd.StereoWaveform(new float[] { 1, -1, 2, -2 }, 2);
        Assert.Equal(new[] { 1f, 2f, -1f, -2f }, stereo.ToArray<float>());
        Assert.Throws<ArgumentException>(() => AudioFrontEnd.StereoWaveform(new float[12], 6));
    }

    [Fact]
    public void Mel_frames_follow_the_hop_and_short_input_is_refused()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var mel = new LogMelSpectrogram(16000, 1024, 160, 64);
        var tone = (Tensor.Arange(8000, DType.Float32) * (2 * Math.PI * 440 / 16000)).Sin().Reshape(1, 1, 8000).Expand(1, 2, 8000).Contiguous();
        var spectrum = mel.Forward(tone);
        Assert.Equal(new long[] { 1, 2, 1 + 8000 / 160, 64 }, spectrum.Shape);
        // 440 Hz sits in one low mel band: the loudest band of a middle frame is one of the two whose centres (418, 464 Hz) bracket it.
        var frame = spectrum.Select(2, 25).Select(1, 0).Select(0, 0);
        long loudest = frame.ArgMax().Item<long>();
        Assert.InRange(loudest, 8, 9);
        Assert.Throws<ArgumentException>(() => mel.Forward(Tensor.Zeros(new long[] { 1, 2, 512 })));
    }
}
