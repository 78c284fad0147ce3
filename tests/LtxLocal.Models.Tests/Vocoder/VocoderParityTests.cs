using LtxLocal.Models.AudioVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.Vocoder;

/// <summary>The vocoders (HiFi-GAN, BigVGAN + bandwidth extension) against the reference fixtures (vocoder/*).</summary>
public class VocoderParityTests
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
        fixture.AssertClose("out.waveform", vocoder.Forward(mel));
        if (fixture.Has("out.dbg.vocoder_16k"))
            fixture.AssertClose("out.dbg.vocoder_16k", Assert.IsType<VocoderWithBwe>(vocoder).LowRate(mel));
        Assert.Equal(fixture.Call.GetProperty("output_sampling_rate").GetInt32(), vocoder.OutputSamplingRate);
    }
}
