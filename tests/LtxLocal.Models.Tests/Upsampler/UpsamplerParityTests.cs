using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.Tests.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.Upsampler;

/// <summary>The latent upsamplers (spatial x2, x1.5, temporal x2) against the reference fixtures (upsampler/*).</summary>
public class UpsamplerParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("upsampler");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "upsampler")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("upsampler", name);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TestDevice.Current;
        using var upsampler = LatentUpsampler.Load(weights, device);
        var latent = fixture.Tensor("in.latent");
        fixture.Check(output, "out.forward", upsampler.Forward(latent));

        var std = fixture.Tensor("in.vae_std_of_means");
        using var statistics = new PerChannelStatistics(std.Numel);
        statistics.LoadStateDict(new Dictionary<string, Tensor> { ["std-of-means"] = std, ["mean-of-means"] = fixture.Tensor("in.vae_mean_of_means") },
            device: device);
        fixture.Check(output, "out.latent", upsampler.UpsampleVideo(latent, statistics));
    }
}
