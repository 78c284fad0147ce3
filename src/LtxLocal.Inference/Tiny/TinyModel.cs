using System.Text.Json;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tiny;

/// <summary>
/// Writes a complete LTX-2.3-style model with random (seeded) weights in the released formats, small enough to run
/// the whole pipeline on a CPU in seconds: the single-file bundle (transformer under <c>model.diffusion_model.*</c>,
/// text connectors and projection, video VAE <c>vae.*</c>, audio VAE <c>audio_vae.*</c>, vocoder <c>vocoder.*</c>, the
/// embedded <c>config</c> metadata), the x2 spatial upsampler, a distilled LoRA, a tiny Gemma 3 folder and the
/// <c>ltx-model.json</c> manifest. Its output is noise: the weights are random.
/// </summary>
public static class TinyModel
{
    public const string Id = "ltx-tiny";
    public const string BundleFile = "ltx-2.3-tiny.safetensors";
    public const string UpsamplerFile = "ltx-2.3-tiny-spatial-upscaler-x2.safetensors";
    public const string LoraFile = "ltx-2.3-tiny-distilled-lora.safetensors";
    public const string GemmaFolder = "gemma";

    /// <summary>The generation the tiny model declares unless told otherwise (its configs are LTX-2.3's).</summary>
    public const string DefaultModelVersion = "2.3.0";

    /// <summary>
    /// Creates the model in <paramref name="directory"/> (made if missing); the same seed writes the same bytes.
    /// <paramref name="modelVersion"/> is the model_version metadata the bundle declares, which picks the generation's
    /// defaults (steps, guider, image CRF); null writes none, as LTX-2 19B's files do.
    /// </summary>
    public static void Create(string directory, ulong seed = 0, string? modelVersion = DefaultModelVersion)
    {
        Directory.CreateDirectory(directory);
        var gemma = GemmaOptions(seed);
        TinyGemma.Create(Path.Combine(directory, GemmaFolder), gemma);

        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(seed + 1);
        var tensors = ModelFileWriter.WriteBundle(Path.Combine(directory, BundleFile), TinyConfigs.Bundle(), modelVersion, gemma.HiddenSize, gemma.Layers,
            generator, seed);
        ModelFileWriter.WriteUpsampler(Path.Combine(directory, UpsamplerFile), TinyConfigs.Upsampler(), generator, seed);
        WriteLora(Path.Combine(directory, LoraFile), tensors, generator);
        File.WriteAllText(Path.Combine(directory, Catalog.ModelDirectoryCatalog.ManifestName), TinyConfigs.Manifest().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The tiny model's Gemma 3 sizes.</summary>
    public static TinyGemmaOptions GemmaOptions(ulong seed) => new(HiddenSize: 32, IntermediateSize: 64, Layers: 2, Heads: 2, KeyValueHeads: 1, HeadDim: 16,
        SlidingWindow: 64, VocabSize: 384, Shards: 1, Seed: seed);

    /// <summary>Whether <paramref name="directory"/> holds a finished tiny model (the manifest is written last).</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, Catalog.ModelDirectoryCatalog.ManifestName));

    /// <summary>A rank-2 LoRA on every block's attention projections, in the trainer's <c>diffusion_model.*</c> naming.</summary>
    private static void WriteLora(string path, IReadOnlyDictionary<string, Tensor> bundle, Generator generator)
    {
        const long rank = 2;
        var lora = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, weight) in bundle)
        {
            if (!key.StartsWith(TransformerKeys.Prefix + "transformer_blocks.", StringComparison.Ordinal) || !key.EndsWith(".to_q.weight", StringComparison.Ordinal)) continue;
            var module = "diffusion_model." + key[TransformerKeys.Prefix.Length..^".weight".Length];
            lora[module + ".lora_A.weight"] = (Tensor.Randn(new[] { rank, weight.Size(1) }, generator) * 0.1).To(DType.BFloat16);
            lora[module + ".lora_B.weight"] = (Tensor.Randn(new[] { weight.Size(0), rank }, generator) * 0.1).To(DType.BFloat16);
        }
        SafetensorsWriter.Write(path, lora, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
