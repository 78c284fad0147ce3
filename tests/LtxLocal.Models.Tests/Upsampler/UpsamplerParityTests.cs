using LtxLocal.Models.Parity;
using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.Upsampler;

/// <summary>The latent upsamplers (spatial x2, x1.5, temporal x2) against the reference fixtures (upsampler/*), through UpsamplerParityRunner.</summary>
public class UpsamplerParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("upsampler");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "upsampler")]
    public void Matches_reference(string name) => ParityRun.Check(new UpsamplerParityRunner(), name, output);
}
