using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tiny;

/// <summary>
/// Writes a model's files in the released formats from their config metadata, with random weights: the single-file
/// bundle (transformer <c>model.diffusion_model.*</c>, text connectors and projection, video VAE <c>vae.*</c>, audio VAE
/// <c>audio_vae.*</c>, vocoder <c>vocoder.*</c>, the embedded <c>config</c>) and the x2 upsampler. With a generator the
/// values are drawn now and stored (the tiny model); without one the files are header-only and their values are drawn
/// when loaded (<see cref="RandomWeights"/>; full-size benchmarks), so the modules are built on the meta device either way.
/// </summary>
internal static class ModelFileWriter
{
    private static readonly ModuleOptions Meta = new(DType.Float32, Device.Meta);

    /// <param name="gemmaHidden">the text encoder's hidden size (the connector's input width)</param>
    /// <param name="gemmaLayers">the text encoder's layer count (the feature extractor stacks every layer's output)</param>
    /// <returns>the bundle's tensors (meta when header-only), for a LoRA written against them</returns>
    public static SortedDictionary<string, Tensor> WriteBundle(string path, JsonObject config, string? modelVersion, int gemmaHidden, int gemmaLayers,
        Generator? generator, ulong seed)
    {
        using var document = JsonDocument.Parse(config.ToJsonString());
        var root = document.RootElement;
        var transformerReader = new ConfigReader(root.GetProperty("transformer"), "transformer");
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        using (var model = new LtxModel(LtxModelConfig.Read(transformerReader), Meta)) Add(tensors, model, TransformerKeys.Prefix, generator);
        bool audio = root.TryGetProperty("audio_vae", out _) && root.TryGetProperty("vocoder", out _);
        using (var text = new EmbeddingsProcessor(TextProcessorConfig.From(transformerReader, gemmaHidden, gemmaLayers, audio), Meta))
        {
            Add(tensors, text.FeatureExtractor, EmbeddingsProcessor.ProjectionPrefix, generator);
            Add(tensors, text.VideoConnector, EmbeddingsProcessor.VideoConnectorPrefix, generator);
            if (text.AudioConnector is not null) Add(tensors, text.AudioConnector, EmbeddingsProcessor.AudioConnectorPrefix, generator);
        }
        var vae = VideoVaeConfig.From(new ConfigReader(root.GetProperty("vae"), "vae"));
        using (var encoder = new VideoEncoder(vae, Meta)) Add(tensors, encoder, "vae.encoder.", generator, statistics: "vae.");
        using (var decoder = new ConvVideoDecoder(vae, Meta)) Add(tensors, decoder, "vae.decoder.", generator, statistics: "vae.");
        if (audio)
        {
            var audioVae = AudioVaeConfig.From(new ConfigReader(root.GetProperty("audio_vae"), "audio_vae"));
            using (var encoder = new AudioEncoder(audioVae, Meta)) Add(tensors, encoder, "audio_vae.encoder.", generator, statistics: "audio_vae.");
            using (var decoder = new AudioDecoder(audioVae, Meta)) Add(tensors, decoder, "audio_vae.decoder.", generator, statistics: "audio_vae.");
            using var vocoder = AudioVaeLoader.VocoderFactory(new ConfigReader(root.GetProperty("vocoder"), "vocoder"))(Meta);
            Add(tensors, vocoder, "vocoder.", generator);
        }
        var metadata = Metadata(generator, seed, config);
        if (modelVersion is not null) metadata["model_version"] = modelVersion;
        SafetensorsWriter.Write(path, tensors, metadata);
        return tensors;
    }

    public static void WriteUpsampler(string path, JsonObject config, Generator? generator, ulong seed)
    {
        using var document = JsonDocument.Parse(config.ToJsonString());
        using var upsampler = new LatentUpsampler(LatentUpsamplerConfig.From(new ConfigReader(document.RootElement, "latent_upsampler")), Meta);
        var weights = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        Add(weights, upsampler, "", generator);
        SafetensorsWriter.Write(path, weights, Metadata(generator, seed, config));
    }

    private static Dictionary<string, string> Metadata(Generator? generator, ulong seed, JsonObject config)
    {
        var metadata = new Dictionary<string, string> { ["config"] = config.ToJsonString() };
        if (generator is null) metadata.Add(RandomWeights.Marker(seed).Key, RandomWeights.Marker(seed).Value);
        return metadata;
    }

    // Values by role (RandomWeights' rule, drawn now in float32): norm scales 1, biases 0, statistics (mean 0, std 1),
    // everything else N(0, 1/fan_in), stored in bf16. Header-only: a bf16 meta tensor of the shape.
    private static void Add(IDictionary<string, Tensor> into, Module module, string prefix, Generator? generator, string? statistics = null)
    {
        foreach (var (name, meta) in module.StateDict().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var key = statistics is not null && name.StartsWith("per_channel_statistics.", StringComparison.Ordinal) ? statistics + name : prefix + name;
            if (into.ContainsKey(key)) continue;
            into[key] = generator is null ? Tensor.Empty(meta.Shape, DType.BFloat16, Device.Meta) : Random(name, meta.Shape, generator);
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
}
