using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Tests.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.Vocoder;

/// <summary>The vocoders (HiFi-GAN, BigVGAN + bandwidth extension) against the reference fixtures (vocoder/*).</summary>
public class VocoderParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("vocoder");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "vocoder")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("vocoder", name);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        using var vocoder = AudioVaeLoader.LoadVocoder(weights, TestDevice.Current);
        var mel = fixture.Tensor("in.mel");
        fixture.Check(output, "out.waveform", vocoder.Forward(mel));
        if (fixture.Has("out.dbg.vocoder_16k"))
            fixture.Check(output, "out.dbg.vocoder_16k", Assert.IsType<VocoderWithBwe>(vocoder).LowRate(mel));
        Assert.Equal(fixture.Call.GetProperty("output_sampling_rate").GetInt32(), vocoder.OutputSamplingRate);
    }
}
