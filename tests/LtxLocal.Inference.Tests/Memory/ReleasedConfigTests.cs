using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Tiny;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The released configurations kept in the repository: they parse with the same readers as the checkpoints' headers,
/// their per-network parameter counts (each network built on the meta device from its config) match the counts a model
/// folder's headers give, and the totals match the releases' known sizes.
/// </summary>
public sealed class ReleasedConfigTests
{
    private const double Billion = 1e9;

    [Fact]
    public void Counts_from_configs_equal_the_counts_from_the_files_headers_on_the_tiny_model()
    {
        var directory = Directory.CreateTempSubdirectory("ltx-released-").FullName;
        try
        {
            TinyModel.Create(directory, seed: 5);
            var files = ModelFiles.Locate(directory, out var problem) ?? throw new InvalidOperationException(problem);
            var fromHeaders = NetworkWeights.Read(files);
            var fromConfigs = NetworkWeights.FromConfigs(ModelConfigs.Read(files));
            Assert.Equal(fromHeaders, fromConfigs);
            Assert.True(fromHeaders.TextEncoder > 0 && fromHeaders.VideoDecoder > 0 && fromHeaders.AudioDecoder > 0 && fromHeaders.Vocoder > 0
                && fromHeaders.Upsampler > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_bandwidth_extending_vocoder_counts_as_its_fixture_file_stores_it()
    {
        var path = Path.Combine(FixtureRoot.CaseDir("vocoder", "ltx23_bwe"), "weights.safetensors");
        using var file = SafetensorsFile.Open(path);
        long stored = file.Keys.Where(k => k.StartsWith("vocoder.", StringComparison.Ordinal)).Sum(k => file.Info(k).Numel);
        using var module = AudioVaeLoader.VocoderFactory(ConfigReader.FromMetadata(file.Metadata, "vocoder", path))(
            new ModuleOptions(DType.Float32, Device.Meta));
        Assert.Equal(stored, module.StateDict().Values.Sum(t => t.Numel));
    }

    [Theory]
    [InlineData("ltx-2", 18.5, 19.5, 1.3, 1.6)]
    [InlineData("ltx-2.3", 18.5, 20.5, 3.0, 3.4)]
    [InlineData("ltx-2.5", 18.5, 20.5, 3.0, 3.4)]
    public void Released_transformers_and_text_paths_have_the_releases_sizes(string name, double minTransformer, double maxTransformer,
        double minProcessor, double maxProcessor)
    {
        var model = ReleasedModels.Find(name)!;
        var n = ModelSizes.FromConfigs(model.Configs).Networks;
        // Gemma 3 12B: about 11.8 B text parameters (24 GB bf16); the LTX fine-tune of Gemma 4 12B: 11.95 B with its
        // small vision embedder. The rest of the text path is the projection and the two connectors.
        double transformer = n.Transformer / Billion, text = n.TextEncoder / Billion;
        Assert.InRange(transformer, minTransformer, maxTransformer);
        Assert.InRange(text - 11.75, minProcessor, maxProcessor + 0.25);
        Assert.Equal(48, n.TransformerLayers);
        // fp8-cast stores the blocks' projections in one byte: about half the bf16 bytes.
        Assert.InRange(n.TransformerBytes(2, fp8: true) / (double)n.TransformerBytes(2, fp8: false), 0.5, 0.56);
    }

    [Fact]
    public void The_22B_releases_are_22B_the_transformer_with_its_text_projection_and_connectors()
    {
        // "22B" is the single-file checkpoint's diffusion model: the transformer plus the text connectors and projection
        // (the transformer alone is about 19.5 B, 39 GB in bf16 at 2 bytes a parameter).
        foreach (var name in new[] { "ltx-2.3", "ltx-2.5" })
        {
            var n = ModelSizes.FromConfigs(ReleasedModels.Find(name)!.Configs).Networks;
            var gemma = name == "ltx-2.3" ? 11.77 : 11.92;
            double total = (n.Transformer + n.TextEncoder) / Billion - gemma;
            Assert.InRange(total, 21.5, 23.0);
        }
        var ltx2 = ModelSizes.FromConfigs(ReleasedModels.Find("ltx-2")!.Configs).Networks;
        Assert.InRange(ltx2.Transformer / Billion, 18.5, 19.5);
    }

    [Fact]
    public void Every_released_name_reads_and_an_unknown_one_is_null()
    {
        Assert.Equal(9, ReleasedModels.All.Count);
        foreach (var model in ReleasedModels.All)
        {
            var sizes = ModelSizes.FromConfigs(model.Configs);
            Assert.True(model.HasAudio);
            Assert.True(sizes.HasUpsampler);
            Assert.Equal(128, sizes.LatentChannels);
            Assert.Equal(3840, sizes.GemmaHidden);
        }
        Assert.Null(ReleasedModels.Find("ltx-9"));
        Assert.NotNull(ReleasedModels.Find("LTX-2.3-Distilled"));
    }
}
