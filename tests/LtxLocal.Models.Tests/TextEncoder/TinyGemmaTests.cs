using System.Text.Json;
using LtxLocal.Models.TextEncoder;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.TextEncoder;

[Trait("Component", "tokenizer")]
public class TinyGemmaTests
{
    [Fact]
    public void Creates_googles_layout_that_the_encoder_loads_and_runs()
    {
        var dir = Directory.CreateTempSubdirectory("ltx-tiny-gemma-").FullName;
        try
        {
            var options = new TinyGemmaOptions(Layers: 3, Shards: 2);
            TinyGemma.Create(dir, options);

            Assert.True(File.Exists(Path.Combine(dir, "model-00001-of-00002.safetensors")));
            Assert.True(File.Exists(Path.Combine(dir, "model-00002-of-00002.safetensors")));
            using (var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "model.safetensors.index.json"))))
                Assert.Equal("model-00001-of-00002.safetensors",
                    index.RootElement.GetProperty("weight_map").GetProperty("language_model.model.embed_tokens.weight").GetString());
            using (var shard = SafetensorsFile.Open(Path.Combine(dir, "model-00001-of-00002.safetensors")))
                Assert.Equal(DType.BFloat16, shard.Info(shard.Keys.First()).DType);

            using var encoder = GemmaTextEncoder.Load(dir, Device.Cpu, DType.Float32, maxLength: 32);
            using var encoding = encoder.Encode("A red fox runs through the snow 🦊.");

            Assert.Equal(new long[] { 1, 32, options.HiddenSize, options.Layers + 1 }, encoding.HiddenStates.Shape);
            Assert.Equal(1.0, encoding.HiddenStates.IsFinite().All().Item());
            Assert.Equal(0.0, encoding.AttentionMask.Select(1, 0).Item()); // left padded
            Assert.Equal(1.0, encoding.AttentionMask.Select(1, 31).Item());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
