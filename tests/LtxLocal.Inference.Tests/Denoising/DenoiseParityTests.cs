using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Inference.Tests.Denoising;

/// <summary>The denoising loop against the reference on every case under $LTX_FIXTURES/denoise (t2v, i2v, guided, distilled).</summary>
[Trait("Category", "Parity")]
[Trait("Component", "denoise")]
public sealed class DenoiseParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => FixtureCase.CasesOf("denoise");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loop_matches_the_reference(string caseName) => DenoiseCaseRunner.Run("denoise", caseName, output);
}
