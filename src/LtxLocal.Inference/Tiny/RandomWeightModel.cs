using System.Text.Json.Nodes;
using LtxLocal.Models.TextEncoder.Tiny;

namespace LtxLocal.Inference.Tiny;

/// <summary>
/// A model folder at the sizes of a configuration (the released configurations' format: <c>checkpoint_metadata</c> with
/// the single file's <c>config</c> sections and <c>model_version</c>, <c>upsampler_metadata</c> with the upsampler's
/// <c>config</c>, and <c>text_encoder</c>, the Gemma 3 config.json inline or a file beside this one) whose weights are
/// random and drawn on the device when loaded (<see cref="LtxLocal.Torch.Safetensors.RandomWeights"/>): only headers are
/// written, so a 22B transformer and a 12B Gemma cost a few MB on disk and nothing on the host. What `bench pipeline
/// --random-weights` runs at the released sizes. The transformer file is the distilled one (the distilled pipeline).
/// </summary>
public static class RandomWeightModel
{
    public const string Id = "random-weights";
    public const string BundleFile = "ltx-random-weights-distilled.safetensors";
    public const string UpsamplerFile = "ltx-random-weights-spatial-upscaler-x2.safetensors";

    /// <summary>The tiny model's own configs in this format (text encoder: its tiny Gemma), the scaled-down configuration tests run.</summary>
    public static JsonObject TinyConfiguration()
    {
        var gemma = TinyModel.GemmaOptions(0);
        return new JsonObject
        {
            ["checkpoint_metadata"] = new JsonObject { ["config"] = TinyConfigs.Bundle(), ["model_version"] = TinyModel.DefaultModelVersion },
            ["upsampler_metadata"] = new JsonObject { ["config"] = TinyConfigs.Upsampler() },
            ["text_encoder"] = TinyGemma.ConfigJson(gemma, gemma.VocabSize),
        };
    }

    /// <summary>A released configuration kept in the repository (<see cref="Catalog.ReleasedModels"/>), in this format.</summary>
    public static JsonObject From(Catalog.ReleasedModel released)
    {
        static JsonObject Metadata(IReadOnlyDictionary<string, string> metadata) =>
            new(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        return new JsonObject
        {
            ["checkpoint_metadata"] = Metadata(released.Configs.Transformer),
            ["upsampler_metadata"] = released.Configs.Upsampler is { } upsampler ? Metadata(upsampler) : null,
            ["text_encoder"] = JsonNode.Parse(released.Configs.Gemma.GetRawText()),
        };
    }

    /// <summary>Reads a configuration file; a <c>text_encoder</c> given as a file name is read from beside it.</summary>
    public static JsonObject Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: not a JSON object");
        if (root["text_encoder"] is JsonValue name && name.TryGetValue<string>(out var file))
            root["text_encoder"] = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, file)));
        return root;
    }

    /// <summary>
    /// Writes the folder into <paramref name="directory"/>. <paramref name="fullTextEncoder"/>: the configuration's Gemma at
    /// its size (12B: 24 GB of bf16 on the device); otherwise a Gemma at the tiny model's sizes (the text stage's time is
    /// then not the released one; every other network is at the configuration's size).
    /// </summary>
    public static void Create(string directory, JsonObject configuration, bool fullTextEncoder, ulong seed = 0)
    {
        Directory.CreateDirectory(directory);
        var checkpoint = Section(configuration, "checkpoint_metadata");
        var config = Config(checkpoint);
        string? version = checkpoint["model_version"]?.GetValue<string>();
        // Both text encoders are header-only with a byte-level tokenizer.json, so nothing here needs libsentencepiece.
        var tiny = TinyModel.GemmaOptions(seed);
        var gemma = fullTextEncoder ? Section(configuration, "text_encoder") : TinyGemma.ConfigJson(tiny, tiny.VocabSize);
        var tower = TinyGemma.CreateHeaderOnly(Path.Combine(directory, TinyModel.GemmaFolder), gemma.DeepClone().AsObject(), seed);
        using var scope = TorchRuntime.NewDisposeScope();
        ModelFileWriter.WriteBundle(Path.Combine(directory, BundleFile), config, version, tower.HiddenSize, tower.NumLayers, generator: null, seed);
        ModelFileWriter.WriteUpsampler(Path.Combine(directory, UpsamplerFile), Config(Section(configuration, "upsampler_metadata")), generator: null, seed);
        var manifest = new JsonObject
        {
            ["id"] = Id, ["kind"] = ModelDescriptor.TinyKind, ["default"] = true,
            ["description"] = "random weights at a configuration's sizes, drawn on the device when loaded (output is noise); for benchmarks",
        };
        File.WriteAllText(Path.Combine(directory, Catalog.ModelDirectoryCatalog.ManifestName), manifest.ToJsonString());
    }

    private static JsonObject Section(JsonObject root, string name) =>
        root[name] as JsonObject ?? throw new InvalidDataException($"the configuration has no '{name}' object");

    // Metadata values are strings in a file's header; the configuration may hold the config as an object or as that string.
    private static JsonObject Config(JsonObject metadata) => metadata["config"] switch
    {
        JsonObject config => config.DeepClone().AsObject(),
        JsonValue text when text.TryGetValue<string>(out var json) => JsonNode.Parse(json)!.AsObject(),
        _ => throw new InvalidDataException("a metadata section has no 'config'"),
    };
}
