using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>The LTX-2.5 diffusion decoder against diffusion_decoder/*: the chunked pathway (out.video), the combined one
/// (out.video_combined) and the stage 1-3 features, with the case's w_chunks.</summary>
public class DiffusionDecoderParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("diffusion_decoder");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "diffusion_decoder")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("diffusion_decoder", name);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        Assert.True(VideoVaeLoader.IsDiffusionDecoder(weights));
        using var decoder = VideoVaeLoader.LoadDiffusionDecoder(weights, TestDevice.Current);
        Assert.Equal(fixture.Call.GetProperty("num_inference_steps").GetInt32(), decoder.Config.InferenceSteps);
        Assert.Equal("chunked_eager", fixture.Call.GetProperty("diffvae_mode").GetString());
        decoder.WChunks = fixture.Call.GetProperty("w_chunks").GetInt32();
        var latent = fixture.Tensor("in.latent");
        var noise = fixture.Tensor("in.noise");

        if (fixture.Has("out.dbg.stages_1_to_3"))
            fixture.Check(output, "out.dbg.stages_1_to_3", decoder.ForwardStages1To3(decoder.PadTrailingFrames(latent)));
        decoder.Mode = DiffusionDecodeMode.Chunked;
        fixture.Check(output, "out.video", decoder.Forward(latent, noise));
        if (fixture.Has("out.video_combined"))
        {
            decoder.Mode = DiffusionDecodeMode.Combined;
            fixture.Check(output, "out.video_combined", decoder.Forward(latent, noise));
        }
    }
}
