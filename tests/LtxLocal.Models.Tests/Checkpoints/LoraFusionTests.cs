using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.Checkpoints;

[Trait("Component", "transformer")]
public sealed class LoraFusionTests : IClassFixture<TransformerCheckpointFixture>
{
    // Every layer type a released LoRA targets: the attention projections (self, text, A/V), the FFN, and a top-level linear.
    private static readonly string[] Targets =
    {
        "transformer_blocks.0.attn1.to_q", "transformer_blocks.0.attn1.to_k", "transformer_blocks.0.attn1.to_v",
        "transformer_blocks.0.attn1.to_out.0", "transformer_blocks.1.attn2.to_k", "transformer_blocks.1.audio_attn1.to_v",
        "transformer_blocks.0.audio_to_video_attn.to_q", "transformer_blocks.1.video_to_audio_attn.to_out.0",
        "transformer_blocks.0.ff.net.0.proj", "transformer_blocks.1.audio_ff.net.2", "patchify_proj",
    };

    private readonly TransformerCheckpointFixture _checkpoint;

    public LoraFusionTests(TransformerCheckpointFixture checkpoint) => _checkpoint = checkpoint;

    private string WriteLora(string name, int rank, IEnumerable<string> targets, Func<string, double?> alpha, ulong seed)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(seed);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var target in targets)
        {
            var shape = _checkpoint.Weights.Info($"model.diffusion_model.{target}.weight").Shape; // [out, in]
            tensors[$"diffusion_model.{target}.lora_A.weight"] = Tensor.Randn(new[] { rank, shape[1] }, generator).Mul(0.1).To(DType.BFloat16);
            tensors[$"diffusion_model.{target}.lora_B.weight"] = Tensor.Randn(new[] { shape[0], rank }, generator).Mul(0.1).To(DType.BFloat16);
            if (alpha(target) is double a) tensors[$"diffusion_model.{target}.alpha"] = Tensor.Scalar(a);
        }
        var path = Path.Combine(_checkpoint.Directory, name);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    [Fact]
    public void Fusion_adds_strength_times_B_A_times_alpha_over_rank_and_unfuse_restores()
    {
        const int rank = 4;
        var first = WriteLora("first.safetensors", rank, Targets, t => t.Contains("to_k") ? 8.0 : null, 1);
        var second = WriteLora("second.safetensors", rank, Targets.Take(3), _ => null, 2);
        using var model = _checkpoint.LoadFloat32();
        using var loraA = LoraWeights.Open(first);
        using var loraB = LoraWeights.Open(second);
        var report = LoraFusion.Fuse(model, new[] { new LoraWithStrength(loraA, 0.8), new LoraWithStrength(loraB, -0.5) });
        Assert.Equal(Targets.Select(t => t + ".weight").Order(StringComparer.Ordinal), report.FusedWeights);

        using var loraFile = SafetensorsFile.Open(first);
        using var loraFile2 = SafetensorsFile.Open(second);
        foreach (var target in Targets)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            // Independent expectation in float64 from the files.
            Tensor F64(SafetensorsFile f, string k) => f.Load(k, Device.Cpu, DType.Float64);
            var expected = F64(_checkpoint.Weights, $"model.diffusion_model.{target}.weight");
            double scale = target.Contains("to_k") ? 8.0 / rank : 1.0;
            expected = expected + F64(loraFile, $"diffusion_model.{target}.lora_B.weight").MatMul(F64(loraFile, $"diffusion_model.{target}.lora_A.weight")) * (0.8 * scale);
            if (loraFile2.Contains($"diffusion_model.{target}.lora_A.weight"))
                expected = expected + F64(loraFile2, $"diffusion_model.{target}.lora_B.weight").MatMul(F64(loraFile2, $"diffusion_model.{target}.lora_A.weight")) * -0.5;
            var actual = model.StateDict()[target + ".weight"].To(DType.Float64);
            Assert.True((actual - expected).Abs().Amax().Item() < 1e-5, $"{target}: fused weight");
        }

        LoraFusion.Unfuse(model, report, new KeyMappedSource(_checkpoint.Weights, TransformerKeys.Prefix));
        foreach (var target in Targets)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var original = _checkpoint.Weights.Load($"model.diffusion_model.{target}.weight", Device.Cpu, DType.Float32);
            Assert.Equal(0.0, (model.StateDict()[target + ".weight"] - original).Abs().Amax().Item());
        }
    }

    [Fact]
    public void Unknown_target_keys_are_reported_and_nothing_is_fused()
    {
        var path = WriteLora("unknown.safetensors", 2, new[] { "transformer_blocks.0.attn1.to_q" }, _ => null, 3);
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            // Same shapes, but a module the model does not have.
            using var file = SafetensorsFile.Open(path);
            var tensors = file.LoadAll(dtype: null).ToDictionary(p => p.Key.Replace("attn1.to_q", "attn9.to_q"), p => p.Value);
            SafetensorsWriter.Write(path + ".bad", tensors);
        }
        using var model = _checkpoint.LoadFloat32();
        using var lora = LoraWeights.Open(path + ".bad");
        var before = model.StateDict()["transformer_blocks.0.attn1.to_q.weight"].Clone();
        var error = Assert.Throws<LoraMismatchException>(() => LoraFusion.Fuse(model, new[] { new LoraWithStrength(lora, 1.0) }));
        Assert.Contains("transformer_blocks.0.attn9.to_q.weight", error.Message);
        Assert.Equal(0.0, (model.StateDict()["transformer_blocks.0.attn1.to_q.weight"] - before).Abs().Amax().Item());
    }

    [Fact]
    public void Factors_whose_shapes_do_not_fit_the_weight_are_reported_and_nothing_is_fused()
    {
        const string target = "transformer_blocks.0.attn1.to_q";
        var shape = _checkpoint.Weights.Info($"model.diffusion_model.{target}.weight").Shape;
        var path = Path.Combine(_checkpoint.Directory, "misshapen.safetensors");
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor>
            {
                [$"diffusion_model.{target}.lora_A.weight"] = Tensor.Zeros(new[] { 2L, shape[1] + 1 }),
                [$"diffusion_model.{target}.lora_B.weight"] = Tensor.Zeros(new[] { shape[0], 2L }),
            });
        }
        using var model = _checkpoint.LoadFloat32();
        using var lora = LoraWeights.Open(path);
        var before = model.StateDict()[target + ".weight"].Clone();
        var error = Assert.Throws<LoraMismatchException>(() => LoraFusion.Fuse(model, new[] { new LoraWithStrength(lora, 1.0) }));
        Assert.Contains($"do not fit {target}.weight", error.Message);
        Assert.Equal(0.0, (model.StateDict()[target + ".weight"] - before).Abs().Amax().Item());
    }
}
