using System.Text.Json;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.TextEncoder.Tiny;
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

[Trait("Component", "tokenizer")]
public class GemmaGenerationTests
{
    [Fact]
    public void Cached_steps_equal_one_full_pass_with_left_padding()
    {
        var tower = new GemmaTowerShape(64, 32, 64, 1e-6, GemmaNormGain.OnePlusWeight, LayerScalar: false, 4, [true, true, false],
            (new GemmaRope(1e6, 8), 8), (new GemmaRope(1e4, 1), 8), 0, [], [1], null);
        var config = new Gemma3Config("gemma3", tower, 4, 2, 8, 2);
        using var scope = TorchRuntime.NewDisposeScope();
        using var model = new Gemma3TextModel(config);
        using (var generator = new Generator(3))
            foreach (var (_, p) in model.NamedParameters()) p.Copy_(Tensor.Randn(p.Shape, generator).Mul_(0.3));

        var ids = Tensor.From(new long[] { 0, 0, 2, 5, 9, 11, 7, 3, 21, 40 }, 1, 10);
        var mask = Tensor.From(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, 1, 10);
        using var full = model.Forward(ids, mask, outputHiddenStates: false);

        using var cache = new GemmaKvCache(config.Tower.NumLayers);
        using var first = model.Forward(ids.Narrow(1, 0, 6), mask.Narrow(1, 0, 6), false, cache);
        var steps = new List<Tensor> { first.LastHiddenState };
        for (int t = 6; t < 10; t++)
            steps.Add(model.Forward(ids.Narrow(1, t, 1), mask.Narrow(1, 0, t + 1), false, cache).LastHiddenState);
        var incremental = Tensor.Cat(steps, 1);

        var valid = mask.To(DType.Float32).Unsqueeze(-1);
        double error = ((full.LastHiddenState - incremental) * valid).Abs().Amax().Item();
        Assert.True(error < 1e-5, $"cached decoding differs from a full pass by {error}");
    }
}
