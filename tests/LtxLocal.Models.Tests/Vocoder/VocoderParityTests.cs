using LtxLocal.Models.Parity;
using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.Vocoder;

/// <summary>The vocoders (HiFi-GAN, BigVGAN + bandwidth extension) against the reference fixtures (vocoder/*), through VocoderParityRunner.</summary>
public class VocoderParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("vocoder");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "vocoder")]
    public void Matches_reference(string name) => ParityRun.Check(new VocoderParityRunner(), name, output);
}
