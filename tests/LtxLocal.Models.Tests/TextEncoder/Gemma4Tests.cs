using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>
/// Gemma 4 (gemma4_unified) against independent expectations; parity against transformers needs vectors from a GPU
/// session and is pending.
/// </summary>
[Trait("Component", "gemma4")]
public class Gemma4Tests
{
    private static Gemma4Config Config(string textConfig, string top = "")
    {
        using var doc = JsonDocument.Parse("{\"model_type\": \"gemma4_unified\", " + top + " \"text_config\": {" + textConfig + "}}");
        return Gemma4Config.FromJson(doc.RootElement);
    }

    private const string Tiny = """
        "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 3, "num_attention_heads": 4,
        "num_key_value_heads": 2, "head_dim": 8, "global_head_dim": 16, "num_global_key_value_heads": 1,
        "attention_k_eq_v": true, "sliding_window": 3, "vocab_size": 40,
        "layer_types": ["sliding_attention", "full_attention", "sliding_attention"]
        """;

    [Fact]
    public void Config_reads_the_full_layer_shape_and_forces_the_last_layer_full()
    {
        var config = Config(Tiny);
        Assert.Equal(new[] { true, false, false }, config.Tower.SlidingLayers);
        Assert.Equal(new GemmaLayerShape(8, 2), config.SlidingShape);
        Assert.Equal(new GemmaLayerShape(16, 1), config.FullShape);
        Assert.Equal(new GemmaRope(1_000_000, 1, 0.25), config.Tower.Full.Rope);
        Assert.Equal(new GemmaRope(10_000, 1), config.Tower.Sliding.Rope);
    }

    [Fact]
    public void Config_prefers_a_serialized_per_layer_config()
    {
        var config = Config(Tiny.Replace("\"global_head_dim\": 16", "\"per_layer_config\": {\"1\": {\"head_dim\": 24}, \"2\": {\"head_dim\": 24}}"));
        Assert.Equal(new GemmaLayerShape(24, 2), config.FullShape);
    }

    [Theory]
    [InlineData("\"num_kv_shared_layers\": 2", "num_kv_shared_layers")]
    [InlineData("\"use_bidirectional_attention\": \"all\"", "use_bidirectional_attention")]
    [InlineData("\"hidden_activation\": \"silu\"", "hidden_activation")]
    [InlineData("\"rope_parameters\": {\"full_attention\": {\"rope_type\": \"yarn\", \"rope_theta\": 1.0}, \"sliding_attention\": {\"rope_type\": \"default\", \"rope_theta\": 1.0}}", "rope_type")]
    public void Unsupported_config_values_are_clear_errors(string entry, string key)
    {
        var e = Assert.Throws<ModelConfigException>(() => Config(Tiny + ", " + entry));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Dense_gemma4_is_refused_with_a_reason()
    {
        using var doc = JsonDocument.Parse("""{"model_type": "gemma4", "text_config": {}}""");
        var e = Assert.Throws<ModelConfigException>(() => Gemma4Config.FromJson(doc.RootElement));
        Assert.Contains("gemma4_unified", e.Message);
    }

    [Fact]
    public void Proportional_rope_rotates_the_leading_pairs_like_default_rope_and_passes_the_rest()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var positions = Tensor.Arange(0, 7, 1, DType.Int64, Device.Cpu);
        var (cos, sin) = GemmaRotary.Tables(new GemmaRope(1e6, 1, 0.25), 16, positions, DType.Float32);
        var (fullCos, fullSin) = GemmaRotary.Tables(new GemmaRope(1e6, 1), 16, positions, DType.Float32);
        // 0.25 of 8 pairs = 2 rotate: channels 0,1 and 8,9 equal default RoPE; the others are cos 1, sin 0.
        foreach (var start in new long[] { 0, 8 })
        {
            Assert.Equal(0.0, (cos.Narrow(1, start, 2) - fullCos.Narrow(1, start, 2)).Abs().Amax().Item());
            Assert.Equal(0.0, (sin.Narrow(1, start, 2) - fullSin.Narrow(1, start, 2)).Abs().Amax().Item());
            Assert.Equal(1.0, cos.Narrow(1, start + 2, 6).Eq(1).All().Item());
            Assert.Equal(1.0, sin.Narrow(1, start + 2, 6).Eq(0).All().Item());
        }
    }

    [Fact]
    public void Plain_weight_norm_equals_gemma3_norm_with_the_weight_shifted_by_one()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(1);
        var x = Tensor.Randn([2, 3, 8], generator);
        var w = Tensor.Randn([8], generator);
        using var gemma3 = new GemmaRmsNorm(8, 1e-6, ModuleOptions.Default);
        using var gemma4 = new GemmaRmsNorm(8, 1e-6, ModuleOptions.Default, GemmaNormGain.Weight);
        gemma3.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = w });
        gemma4.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = w + 1.0 });
        Assert.True((gemma3.Forward(x) - gemma4.Forward(x)).Abs().Amax().Item() < 1e-5);
    }

    [Fact]
    public void Hidden_states_match_a_direct_reading_of_the_transformers_code()
    {
        var config = Config(Tiny);
        using var scope = TorchRuntime.NewDisposeScope();
        using var model = new Gemma4TextModel(config);
        using (var generator = new Generator(5))
            foreach (var (_, p) in model.NamedParameters()) p.Copy_(Tensor.Randn(p.Shape, generator).Mul_(0.4));
        foreach (var (name, b) in model.StateDict().Where(e => e.Key.EndsWith("layer_scalar", StringComparison.Ordinal)))
            b.Copy_(Tensor.Full([1], 0.75, DType.Float32, Device.Cpu));

        var ids = Tensor.From(new long[] { 0, 0, 2, 5, 9, 11, 7, 3, 21 }, 1, 9);
        var mask = Tensor.From(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1 }, 1, 9);
        using var output = model.Forward(ids, mask);
        var expected = Gemma4Reference.HiddenStates(model, config, ids, mask);

        Assert.Equal(config.Tower.NumLayers + 1, output.HiddenStates!.Count);
        var valid = mask.To(DType.Float32).Unsqueeze(-1);
        for (int i = 0; i < expected.Count; i++)
        {
            double error = ((output.HiddenStates[i] - expected[i]) * valid).Abs().Amax().Item();
            Assert.True(error < 1e-4, $"hidden state {i} differs by {error}");
        }
    }
}
