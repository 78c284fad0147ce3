using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Tests.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.AudioVae;

/// <summary>
/// The audio front end against the reference fixtures (audio_front_end/*): waveform -> (resample) -> log-mel, and
/// waveform -> mel -> audio VAE encoder when the case calls encode_audio. Rates and mel parameters come from call or,
/// for the encoder case, from the audio VAE config in the case's weights, as encode_audio builds its processor.
/// </summary>
public class AudioFrontEndParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("audio_front_end");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "audio_front_end")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("audio_front_end", name);
        using var scope = TorchRuntime.NewDisposeScope();
        var call = fixture.Call;
        var waveform = fixture.Tensor("in.waveform");
        int inputRate = call.GetProperty("input_sample_rate").GetInt32();
        bool encodes = fixture.ReferenceFunctions.Any(f => f.EndsWith(".encode_audio", StringComparison.Ordinal));

        if (encodes)
        {
            using var weights = SafetensorsFile.Open(fixture.WeightsPath);
            using var encoder = AudioVaeLoader.LoadEncoder(weights, TestDevice.Current);
            using var frontEnd = AudioFrontEnd.For(encoder.Config);
            fixture.Check(output, "out.latent", frontEnd.Encode(encoder, waveform, inputRate));
        }
        else
        {
            using var frontEnd = new AudioFrontEnd(call.GetProperty("target_sample_rate").GetInt32(), call.GetProperty("n_fft").GetInt32(),
                call.GetProperty("mel_hop_length").GetInt32(), call.GetProperty("mel_bins").GetInt32());
            var mel = frontEnd.WaveformToMel(waveform, inputRate);
            long resampled = inputRate == frontEnd.SampleRate ? waveform.Size(2)
                : (long)Math.Ceiling((double)waveform.Size(2) * frontEnd.SampleRate / inputRate);
            Assert.Equal(1 + resampled / call.GetProperty("mel_hop_length").GetInt32(), mel.Size(2));
            fixture.Check(output, "out.mel", mel);
        }
    }
}
