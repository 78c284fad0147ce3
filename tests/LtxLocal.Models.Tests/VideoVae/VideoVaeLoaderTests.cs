using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>The LTX-2.5 split VAE layout (bare decoder.* / per_channel_statistics.*) loads like the single-file one.</summary>
[Trait("Component", "video_vae")]
public class VideoVaeLoaderTests
{
    [Fact]
    public void Split_file_with_bare_prefixes_decodes_like_the_single_file()
    {
        using var fixture = new FixtureCase("video_vae", "decode");
        using var single = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"split-vae-{Guid.NewGuid():N}.safetensors");
        try
        {
            var bare = single.Keys.ToDictionary(k => k["vae.".Length..], k => single.Load(k, Device.Cpu));
            bare["per_channel_statistics.channel"] = Tensor.Zeros(new[] { 1L }); // real files carry extras the loader ignores
            SafetensorsWriter.Write(path, bare, single.Metadata);
            using var split = SafetensorsFile.Open(path);
            Assert.Equal("", VideoVaeLoader.PrefixOf(split));
            using var fromSingle = VideoVaeLoader.LoadDecoder(single, Device.Cpu);
            using var fromSplit = VideoVaeLoader.LoadDecoder(split, Device.Cpu);
            var latent = fixture.Tensor("in.latent", Device.Cpu);
            Assert.Equal(0, ParityAssert.MaxError(fromSingle.Forward(latent), fromSplit.Forward(latent)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Diffusion_vae_file_loads_the_diffusion_decoder_and_refuses_the_conv_one()
    {
        using var fixture = new FixtureCase("diffusion_decoder", "decode");
        using var file = SafetensorsFile.Open(fixture.WeightsPath);
        Assert.True(VideoVaeLoader.IsDiffusionDecoder(file));
        Assert.True(VideoVaeLoader.ReadConfig(file).IsDiffusionVae);
        var error = Assert.Throws<ModelConfigException>(() => VideoVaeLoader.LoadDecoder(file, Device.Cpu));
        Assert.Contains("LoadDiffusionDecoder", error.Message);
        using var decoder = VideoVaeLoader.LoadDiffusionDecoder(file, Device.Cpu);
        Assert.Equal(fixture.Json.GetProperty("config").GetProperty("vae").GetProperty("decoder").GetProperty("stage_depths").GetArrayLength(),
            decoder.Config.StageDepths.Length);
    }

    [Fact]
    public void Unknown_vae_class_is_refused_with_a_clear_message()
    {
        using var document = System.Text.Json.JsonDocument.Parse("{\"_class_name\": \"SomethingElse\"}");
        var error = Assert.Throws<ModelConfigException>(() => VideoVaeConfig.From(new ConfigReader(document.RootElement, "vae")));
        Assert.Contains("CausalDiffusionVAE", error.Message);
    }
}
