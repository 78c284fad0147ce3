using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Tiny;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests;

/// <summary>
/// LoRA files for a tiny model, in the released LTX-2 LoRAs' key naming (<c>diffusion_model.&lt;module&gt;.lora_A.weight</c> /
/// <c>.lora_B.weight</c>, bf16), shaped from the model's own transformer weights.
/// </summary>
internal static class TinyLoras
{
    /// <summary>A rank-<paramref name="rank"/> LoRA on the attention and feed-forward weights of every block, written to loras/.</summary>
    public static string WriteStyle(string modelDirectory, string name, ulong seed, int rank = 4, double scale = 0.5)
    {
        using var bundle = SafetensorsFile.Open(Path.Combine(modelDirectory, TinyModel.BundleFile));
        var targets = bundle.Keys.Where(k => k.StartsWith(TransformerKeys.Prefix + "transformer_blocks.", StringComparison.Ordinal)
                && (k.EndsWith(".attn1.to_k.weight", StringComparison.Ordinal) || k.EndsWith(".attn1.to_v.weight", StringComparison.Ordinal)
                    || k.EndsWith(".attn2.to_out.0.weight", StringComparison.Ordinal) || k.EndsWith(".ff.net.0.proj.weight", StringComparison.Ordinal)))
            .ToDictionary(k => "diffusion_model." + k[TransformerKeys.Prefix.Length..^".weight".Length], k => bundle.Info(k).Shape);
        return Write(modelDirectory, name, targets, seed, rank, scale);
    }

    /// <summary>A LoRA whose modules the transformer does not have (another model's naming).</summary>
    public static string WriteForeign(string modelDirectory, string name) =>
        Write(modelDirectory, name, new Dictionary<string, long[]>
        {
            ["diffusion_model.single_transformer_blocks.0.attn.to_q"] = [64, 64],
            ["diffusion_model.single_transformer_blocks.0.attn.to_k"] = [64, 64],
        }, seed: 1, rank: 2, scale: 0.1);

    /// <summary>Writes lora_A [rank, in] and lora_B [out, rank] for each module (shape [out, in]) into the model's loras/.</summary>
    public static string Write(string modelDirectory, string name, IReadOnlyDictionary<string, long[]> modules, ulong seed, int rank, double scale)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(seed);
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (module, shape) in modules.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            tensors[module + ".lora_A.weight"] = (Tensor.Randn(new[] { rank, shape[1] }, generator) * scale).To(DType.BFloat16);
            tensors[module + ".lora_B.weight"] = (Tensor.Randn(new[] { shape[0], rank }, generator) * scale).To(DType.BFloat16);
        }
        var folder = Directory.CreateDirectory(Path.Combine(modelDirectory, LoraFolder.Name)).FullName;
        var path = Path.Combine(folder, name + ".safetensors");
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }
}
