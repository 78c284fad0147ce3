using LtxLocal.Models.Parity;
using LtxLocal.Testing;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>The conv video VAE against the reference fixtures (video_vae/*), through VideoVaeParityRunner: what runs is chosen by the case's reference functions.</summary>
public class VideoVaeParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("video_vae");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "video_vae")]
    public void Matches_reference(string name) => ParityRun.Check(new VideoVaeParityRunner(), name, output);
}
