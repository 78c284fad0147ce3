using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Tiny;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Pipelines;

/// <summary>
/// The LoRA block on the tiny model's transformer (float32, CPU): a request's LoRAs then the distilled one land on the
/// checkpoint's weights exactly as one fusion of <c>(*loras, *distilled_lora)</c> from the file would put them, whatever
/// set was in place before, and a reset gives back the checkpoint's weights bit for bit.
/// </summary>
[Trait("Component", "pipelines")]
public sealed class TransformerLorasTests : IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("ltx-loras-").FullName, "tiny");

    public TransformerLorasTests()
    {
        TinyModel.Create(_dir, seed: 4);
        TinyLoras.WriteStyle(_dir, "style", seed: 7);
        TinyLoras.WriteStyle(_dir, "grain", seed: 8, rank: 2);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    private ModelFiles Files => ModelFiles.Locate(_dir, out _)!;

    private LtxModel LoadTransformer() =>
        TransformerLoader.Load(Files.Transformer, new TransformerLoadOptions { Device = Device.Cpu, DType = DType.Float32 });

    private static Dictionary<string, float[]> Weights(LtxModel model)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return model.StateDict().ToDictionary(p => p.Key, p => p.Value.Contiguous().ToArray<float>());
    }

    private static void AssertSame(Dictionary<string, float[]> expected, LtxModel model, string what)
    {
        var actual = Weights(model);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        var differing = expected.Keys.Where(k => !expected[k].AsSpan().SequenceEqual(actual[k])).ToList();
        Assert.True(differing.Count == 0, $"{what}: {differing.Count} weights differ, e.g. {string.Join(", ", differing.Take(3))}");
    }

    [Fact]
    public void Request_loras_then_the_distilled_lora_equal_one_fusion_from_the_checkpoint_and_reset_restores_it_bit_exactly()
    {
        using var transformer = LoadTransformer();
        var pristine = Weights(transformer);
        var block = new TransformerLoras(Files);
        RequestLora[] loras = [new("style", 0.7), new("grain", -1.5)];

        block.Use(transformer, [new RequestLora("grain", 2.0)]); // something else was fused before
        block.Use(transformer, loras);
        block.Use(transformer, loras, distilled: true);

        using (var expected = LoadTransformer())
        {
            using var style = LoraWeights.Open(LoraFolder.PathOf(_dir, "style"));
            using var grain = LoraWeights.Open(LoraFolder.PathOf(_dir, "grain"));
            using var distilled = LoraWeights.Open(Files.DistilledLora!);
            LoraFusion.Fuse(expected, [new LoraWithStrength(style, 0.7), new LoraWithStrength(grain, -1.5), new LoraWithStrength(distilled, 1.0)]);
            var fused = Weights(expected);
            AssertSame(fused, transformer, "stage 2 set");
            Assert.Contains(fused.Keys, k => !fused[k].AsSpan().SequenceEqual(pristine[k])); // the LoRAs did change weights
        }

        block.Reset(transformer);
        AssertSame(pristine, transformer, "after reset");
        Assert.Empty(block.FusedWeights);
    }

    [Fact]
    public void A_lora_removed_from_the_folder_fails_the_job_and_leaves_the_weights_as_they_were()
    {
        using var transformer = LoadTransformer();
        var pristine = Weights(transformer);
        var block = new TransformerLoras(Files);
        File.Delete(LoraFolder.PathOf(_dir, "grain"));
        var error = Assert.Throws<InvalidOperationException>(() => block.Use(transformer, [new RequestLora("style", 1), new RequestLora("grain", 1)]));
        Assert.Contains("'grain' is no longer", error.Message);
        AssertSame(pristine, transformer, "after the refusal");
    }
}
