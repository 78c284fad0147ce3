using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.NN;
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
        var gemma = new TinyGemmaOptions(HiddenSize: 32, IntermediateSize: 64, Layers: 2, Heads: 2, KeyValueHeads: 1, HeadDim: 16,
            SlidingWindow: 64, VocabSize: 384, Shards: 1, Seed: seed);
        TinyGemma.Create(Path.Combine(directory, GemmaFolder), gemma);

        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(seed + 1);
        var config = TinyConfigs.Bundle();
        using var document = JsonDocument.Parse(config.ToJsonString());
        var root = document.RootElement;
        var meta = new ModuleOptions(DType.Float32, Device.Meta);

        var transformerReader = new ConfigReader(root.GetProperty("transformer"), "transformer");
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        using (var model = new LtxModel(LtxModelConfig.Read(transformerReader), meta)) Add(tensors, model, TransformerKeys.Prefix, generator);
        using (var text = new EmbeddingsProcessor(TextProcessorConfig.From(transformerReader, gemma.HiddenSize, gemma.Layers, true), meta))
        {
            Add(tensors, text.FeatureExtractor, EmbeddingsProcessor.ProjectionPrefix, generator);
            Add(tensors, text.VideoConnector, EmbeddingsProcessor.VideoConnectorPrefix, generator);
            Add(tensors, text.AudioConnector!, EmbeddingsProcessor.AudioConnectorPrefix, generator);
        }
        var vae = VideoVaeConfig.From(new ConfigReader(root.GetProperty("vae"), "vae"));
        using (var encoder = new VideoEncoder(vae, meta)) Add(tensors, encoder, "vae.encoder.", generator, statistics: "vae.");
        using (var decoder = new ConvVideoDecoder(vae, meta)) Add(tensors, decoder, "vae.decoder.", generator, statistics: "vae.");
        var audioVae = AudioVaeConfig.From(new ConfigReader(root.GetProperty("audio_vae"), "audio_vae"));
        using (var encoder = new AudioEncoder(audioVae, meta)) Add(tensors, encoder, "audio_vae.encoder.", generator, statistics: "audio_vae.");
        using (var decoder = new AudioDecoder(audioVae, meta)) Add(tensors, decoder, "audio_vae.decoder.", generator, statistics: "audio_vae.");
        using (var vocoder = new Vocoder(VocoderConfig.From(new ConfigReader(root.GetProperty("vocoder"), "vocoder"), "1"), true, meta))
            Add(tensors, vocoder, "vocoder.", generator);
        var metadata = new Dictionary<string, string> { ["config"] = config.ToJsonString() };
        if (modelVersion is not null) metadata["model_version"] = modelVersion;
        SafetensorsWriter.Write(Path.Combine(directory, BundleFile), tensors, metadata);

        var upsamplerConfig = TinyConfigs.Upsampler();
        using (var upsamplerDocument = JsonDocument.Parse(upsamplerConfig.ToJsonString()))
        using (var upsampler = new LatentUpsampler(LatentUpsamplerConfig.From(new ConfigReader(upsamplerDocument.RootElement, "latent_upsampler")), meta))
        {
            var weights = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
            Add(weights, upsampler, "", generator);
            SafetensorsWriter.Write(Path.Combine(directory, UpsamplerFile), weights, new Dictionary<string, string> { ["config"] = upsamplerConfig.ToJsonString() });
        }
        WriteLora(Path.Combine(directory, LoraFile), tensors, generator);
        File.WriteAllText(Path.Combine(directory, Catalog.ModelDirectoryCatalog.ManifestName), TinyConfigs.Manifest().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Whether <paramref name="directory"/> holds a finished tiny model (the manifest is written last).</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, Catalog.ModelDirectoryCatalog.ManifestName));

    // Random values by role: norm scales 1, biases 0, statistics (mean 0, std 1), everything else N(0, 1/fan_in), in bf16.
    private static void Add(IDictionary<string, Tensor> into, Module module, string prefix, Generator generator, string? statistics = null)
    {
        foreach (var (name, meta) in module.StateDict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var key = statistics is not null && name.StartsWith("per_channel_statistics.", StringComparison.Ordinal) ? statistics + name : prefix + name;
            if (into.ContainsKey(key)) continue;
            into[key] = Random(name, meta.Shape, generator);
        }
    }

    private static Tensor Random(string name, long[] shape, Generator generator)
    {
        Tensor value;
        if (name.EndsWith("mean-of-means", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal) || shape.Length == 0)
            value = Tensor.Zeros(shape);
        else if (name.EndsWith("std-of-means", StringComparison.Ordinal) || shape.Length == 1)
            value = Tensor.Ones(shape);
        else
            value = Tensor.Randn(shape, generator) * (1.0 / Math.Sqrt(shape.Skip(1).Aggregate(1L, (a, b) => a * b)));
        return value.To(DType.BFloat16);
    }

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
