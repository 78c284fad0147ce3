using LtxLocal.Models.Parity;
using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>The LTX-2.5 diffusion decoder against diffusion_decoder/*, through DiffusionDecoderParityRunner: the chunked
/// pathway (out.video), the combined one (out.video_combined) and the stage 1-3 features, with the case's w_chunks.</summary>
public class DiffusionDecoderParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("diffusion_decoder");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "diffusion_decoder")]
    public void Matches_reference(string name) => ParityRun.Check(new DiffusionDecoderParityRunner(), name, output);
}
