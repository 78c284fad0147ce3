using System.Diagnostics;
using LtxLocal.Media;
using LtxLocal.Models.AudioVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests.Conditioning;

/// <summary>
/// The whole audio conditioning path on a real file: ffmpeg decode (file's own rate, mono) -> stereo waveform -> resample
/// -> log-mel -> audio VAE encoder (the encoder of the fixtures' audio_front_end/encode_from_waveform case). Expected: the
/// samples of the same signal computed here at 16 bits, and the latent of those samples.
/// </summary>
public sealed class AudioFileToLatentTests
{
    [Theory]
    [InlineData("flac", 44100)]
    [InlineData("wav", 16000)]
    public async Task A_mono_file_encodes_like_the_signal_it_holds(string extension, int rate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ltx-a2v-{Guid.NewGuid():N}.{extension}");
        try
        {
            // sum_{k=1..K} sin(k·x) in closed form (ffmpeg's expression parser will not take 199 terms), 0 where sin(x/2) = 0.
            FormattableString half = $"sin(PI*{Fundamental}*t)";
            var expression = FormattableString.Invariant(
                $"{Amplitude}*if(lt(abs({half}),1e-9),0,sin({Partials}*PI*{Fundamental}*t)*sin({Partials + 1}*PI*{Fundamental}*t)/{half})");
            RunFfmpeg("-v", "error", "-y", "-f", "lavfi", "-i", $"aevalsrc=exprs='{expression}':s={rate}:d=0.6", path);
            var decoded = await new AudioFileDecoder(FfmpegTools.Locate(), new AudioLimits()).DecodeFileAsync(path);
            Assert.Equal((rate, 1), (decoded.SampleRate, decoded.Channels));

            using var scope = TorchRuntime.NewDisposeScope();
            using var weights = SafetensorsFile.Open(new FixtureCase("audio_front_end", "encode_from_waveform").WeightsPath);
            using var encoder = AudioVaeLoader.LoadEncoder(weights, TestDevice.Current);
            using var frontEnd = AudioFrontEnd.For(encoder.Config);
            var fromFile = frontEnd.Encode(encoder, AudioFrontEnd.StereoWaveform(decoded.Interleaved, decoded.Channels), decoded.SampleRate);

            // The signal as the 16-bit file holds it (ffmpeg rounds to the nearest step).
            var t = (Tensor.Arange(decoded.Frames, DType.Float64) / rate).Unsqueeze(1);
            var hz = (Tensor.Arange(1, Partials + 1, 1, DType.Float64) * Fundamental).Unsqueeze(0);
            var exact = (t * hz * (2 * Math.PI)).Sin().Sum(1) * Amplitude;
            var tone = ((exact * 32768).Round().Clamp(-32768, 32767) / 32768).To(DType.Float32);
            var pcm = Tensor.From(decoded.Interleaved);
            Assert.True((pcm - tone).Abs().Amax().Item() <= 1.0 / 32768, "decoded samples differ from the signal by more than one 16-bit step");
            var expected = frontEnd.Encode(encoder, tone.Reshape(1, 1, -1).Expand(1, 2, decoded.Frames).Contiguous(), rate);

            Assert.Equal(expected.Shape, fromFile.Shape);
            double error = (fromFile - expected).Abs().Amax().Item(), scale = expected.Abs().Amax().Item();
            Assert.True(error <= 1e-3 * scale, $"file latent differs from the signal's by {error:G3} (scale {scale:G3})");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Partials every 40 Hz up to 7.96 kHz: every mel band holds signal far above the 16-bit noise floor, so a one-step
    // rounding difference between ffmpeg and this test cannot move a quiet band's log-mel (which a two-tone signal would).
    private const int Fundamental = 40, Partials = 199;
    private const double Amplitude = 0.002;

    private static void RunFfmpeg(params string[] args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
    }
}
