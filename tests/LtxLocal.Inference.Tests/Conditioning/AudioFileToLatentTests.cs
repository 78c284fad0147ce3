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
/// samples of the same tone computed here at 16 bits, and the latent of those samples.
/// </summary>
public sealed class AudioFileToLatentTests
{
    [Theory]
    [InlineData("flac", 44100)]
    [InlineData("wav", 16000)]
    public async Task A_mono_file_encodes_like_the_tone_it_holds(string extension, int rate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ltx-a2v-{Guid.NewGuid():N}.{extension}");
        try
        {
            RunFfmpeg("-v", "error", "-y", "-f", "lavfi", "-i", $"aevalsrc=exprs=0.25*sin(2*PI*330*t)+0.125*sin(2*PI*1250*t):s={rate}:d=0.6", path);
            var decoded = await new AudioFileDecoder(FfmpegTools.Locate(), new AudioLimits()).DecodeFileAsync(path);
            Assert.Equal((rate, 1), (decoded.SampleRate, decoded.Channels));

            using var scope = TorchRuntime.NewDisposeScope();
            using var weights = SafetensorsFile.Open(new FixtureCase("audio_front_end", "encode_from_waveform").WeightsPath);
            using var encoder = AudioVaeLoader.LoadEncoder(weights, TestDevice.Current);
            using var frontEnd = AudioFrontEnd.For(encoder.Config);
            var fromFile = frontEnd.Encode(encoder, AudioFrontEnd.StereoWaveform(decoded.Interleaved, decoded.Channels), decoded.SampleRate);

            // The tone as the 16-bit file holds it: quiet mel bands are the quantisation noise, so the expectation carries it too.
            var t = Tensor.Arange(decoded.Frames, DType.Float64) / rate;
            var exact = (t * (2 * Math.PI * 330)).Sin() * 0.25 + (t * (2 * Math.PI * 1250)).Sin() * 0.125;
            var tone = ((exact * 32768).Round().Clamp(-32768, 32767) / 32768).To(DType.Float32);
            var pcm = Tensor.From(decoded.Interleaved);
            Assert.True((pcm - tone).Abs().Amax().Item() <= 1.0 / 32768, "decoded samples differ from the tone by more than one 16-bit step");
            var expected = frontEnd.Encode(encoder, tone.Reshape(1, 1, -1).Expand(1, 2, decoded.Frames).Contiguous(), rate);

            Assert.Equal(expected.Shape, fromFile.Shape);
            double error = (fromFile - expected).Abs().Amax().Item(), scale = expected.Abs().Amax().Item();
            Assert.True(error <= 2e-3 * scale, $"file latent differs from the tone's by {error:G3} (scale {scale:G3})");
        }
        finally
        {
            File.Delete(path);
        }
    }

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
