using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Tests.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.AudioVae;

/// <summary>The audio VAE against the reference fixtures (audio_vae/*): what runs is chosen by the case's reference functions.</summary>
public class AudioVaeParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("audio_vae");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "audio_vae")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("audio_vae", name);
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TestDevice.Current;
        var functions = fixture.ReferenceFunctions;
        bool Calls(string function) => functions.Any(f => f.Contains(function, StringComparison.Ordinal));

        if (fixture.Has("in.num_frames"))
        {
            AssertLatentLengths(fixture);
            return;
        }
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        if (Calls("decode_audio"))
        {
            using var decoder = AudioVaeLoader.LoadDecoder(weights, device);
            using var vocoder = AudioVaeLoader.LoadVocoder(weights, device);
            var latent = fixture.Tensor("in.latent");
            if (fixture.Has("out.dbg.mel")) fixture.Check(output, "out.dbg.mel", decoder.Forward(latent));
            fixture.Check(output, "out.waveform", AudioVaeLoader.DecodeAudio(latent, decoder, vocoder));
            if (fixture.Call.TryGetProperty("sampling_rate", out var rate)) Assert.Equal(rate.GetInt32(), vocoder.OutputSamplingRate);
        }
        else if (Calls("PerChannelStatistics"))
        {
            using var statistics = AudioVaeLoader.LoadStatistics(weights, device);
            fixture.Check(output, "out.normalized", AudioPatchify.ApplyStatistics(fixture.Tensor("in.latent_raw"), statistics, normalize: true));
            fixture.Check(output, "out.un_normalized", AudioPatchify.ApplyStatistics(fixture.Tensor("in.latent_normalized"), statistics, normalize: false));
        }
        else if (Calls("AudioEncoder"))
        {
            using var encoder = AudioVaeLoader.LoadEncoder(weights, device);
            fixture.Check(output, "out.latent", encoder.Forward(fixture.Tensor("in.mel")));
        }
        else
        {
            using var decoder = AudioVaeLoader.LoadDecoder(weights, device);
            fixture.Check(output, "out.mel", decoder.Forward(fixture.Tensor("in.latent")));
        }
    }

    /// <summary>Lengths are exact integers: the fps used is the exact one from call.fps_exact (in.fps is its float32 copy).</summary>
    private void AssertLatentLengths(FixtureCase fixture)
    {
        var frames = fixture.Tensor("in.num_frames", Device.Cpu).To(DType.Float64).ToArray<double>();
        var fps = fixture.Call.TryGetProperty("fps_exact", out var exact)
            ? exact.EnumerateArray().Select(v => v.GetDouble()).ToArray()
            : fixture.Tensor("in.fps", Device.Cpu).To(DType.Float64).ToArray<double>();
        int sampleRate = fixture.Call.GetProperty("sample_rate").GetInt32(), hop = fixture.Call.GetProperty("hop_length").GetInt32();
        int factor = fixture.Call.GetProperty("audio_latent_downsample_factor").GetInt32();
        var latent = frames.Select((n, i) => (double)AudioLatentShape.FramesForVideo((long)n, fps[i], sampleRate, hop, factor)).ToArray();
        var mel = latent.Select(t => (double)AudioLatentShape.MelFrames((long)t, factor)).ToArray();
        var dtype = fixture.Io.Info("out.latent_frames").DType;
        fixture.Check(output, "out.latent_frames", Tensor.From(latent, latent.Length).To(dtype));
        fixture.Check(output, "out.mel_frames", Tensor.From(mel, mel.Length).To(dtype));
    }
}
