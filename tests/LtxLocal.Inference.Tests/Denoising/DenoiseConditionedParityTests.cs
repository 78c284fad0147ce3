using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Inference.Tests.Denoising;

/// <summary>
/// The denoising loop for conditioned generation against the reference on every case under
/// $LTX_FIXTURES/denoise_conditioned: streams started from given latents, a stream held frozen (audio-to-video's driving
/// audio, retake's kept audio), and temporal region masks (retake).
/// </summary>
[Trait("Category", "Parity")]
[Trait("Component", "denoise_conditioned")]
public sealed class DenoiseConditionedParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => FixtureCase.CasesOf("denoise_conditioned");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loop_matches_the_reference(string caseName) => DenoiseCaseRunner.Run("denoise_conditioned", caseName, output);
}
