using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// Finds and loads a Gemma text tower: Google's Hugging Face layout (config.json + sharded safetensors + index +
/// tokenizer.model and/or tokenizer.json in one folder) or a single safetensors file whose metadata carries the config.json: the LTX-2.5
/// text-encoder pack (<c>gemma_config</c>, ltx_core gemma_assets) or <c>config</c>.
/// </summary>
public static class GemmaCheckpoint
{
    /// <summary>Where the text tower's keys live: transformers 4.x multimodal, 5.x multimodal, text-only.</summary>
    public static readonly string[] TextPrefixes = ["language_model.model.", "model.language_model.", "model."];

    /// <summary>The metadata key of the Hugging Face config in an LTX-2.5 text-encoder pack.</summary>
    public const string PackConfigKey = "gemma_config";

    /// <summary>The tensor prefix under which a pack embeds Hugging Face side files (uint8 bytes).</summary>
    public const string PackAssetPrefix = "hf_asset__";

    /// <summary>The uint8 tensor holding the Hugging Face tokenizer.json in a pack (ltx_core gemma_assets).</summary>
    public const string PackTokenizerJsonKey = "tokenizer_json";

    /// <summary>The config.json of a model folder, or the "config" metadata of a single file, as parsed JSON.</summary>
    public static JsonDocument ReadConfig(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            var configPath = Path.Combine(path, "config.json");
            if (!File.Exists(configPath)) throw new ModelConfigException($"{path}: no config.json (not a Hugging Face Gemma folder?)");
            return JsonDocument.Parse(File.ReadAllText(configPath));
        }
        using var file = SafetensorsFile.Open(path);
        if (file.Metadata.TryGetValue(PackConfigKey, out var packed)) return JsonDocument.Parse(packed);
        if (!file.Metadata.TryGetValue("config", out var text))
            throw new ModelConfigException($"{path}: neither \"{PackConfigKey}\" nor \"config\" in the safetensors metadata");
        return JsonDocument.Parse(text);
    }

    /// <summary>The weights of a model folder (index or single model.safetensors) or of one file.</summary>
    public static ITensorSource OpenWeights(string path)
    {
        if (!System.IO.Directory.Exists(path)) return ShardedSafetensors.OpenAny(path);
        var index = Path.Combine(path, "model.safetensors.index.json");
        if (File.Exists(index)) return ShardedSafetensors.OpenIndex(index);
        var files = System.IO.Directory.GetFiles(path, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{path}: no safetensors files");
        return ShardedSafetensors.OpenFiles(files);
    }

    /// <summary>The key prefix of the text tower in <paramref name="source"/>.</summary>
    public static string TextPrefix(ITensorSource source)
    {
        foreach (var prefix in TextPrefixes)
            if (source.Contains(prefix + "embed_tokens.weight")) return prefix;
        throw new ModelConfigException(
            $"no Gemma text tower found: none of {string.Join(", ", TextPrefixes.Select(p => p + "embed_tokens.weight"))} is present");
    }

    /// <summary>
    /// The text tower of <paramref name="path"/> for its config's model_type: Gemma 3 (gemma3 / gemma3_text) or the
    /// LTX-2.5 Gemma 4 (gemma4_unified). Only the language model's keys are read; vision/audio towers are skipped.
    /// </summary>
    public static IGemmaTextModel LoadTextModel(string path, Device device, DType dtype, Action<long, long>? progress = null)
    {
        using var configJson = ReadConfig(path);
        var root = configJson.RootElement;
        var modelType = new ConfigReader(root, "gemma").String("model_type");
        var weights = OpenWeights(path);
        try
        {
            if (Gemma4Config.ModelTypes.Contains(modelType))
            {
                var config4 = Gemma4Config.FromJson(root);
                return Load(o => new Gemma4TextModel(config4, o), LanguageModel(weights), device, dtype, progress, prefix: "");
            }
            var config3 = Gemma3Config.FromJson(root);
            return Load(o => new Gemma3TextModel(config3, o), weights, device, dtype, progress);
        }
        finally
        {
            (weights as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Only the language model's own keys (embed_tokens, layers, norm), under whichever prefix the file uses: packs
    /// flatten it to <c>model.*</c> next to other towers, so a prefix alone does not isolate it.
    /// </summary>
    public static ITensorSource LanguageModel(ITensorSource source) =>
        new KeyMappedSource(source, TextPrefix(source),
            name => name.StartsWith("layers.", StringComparison.Ordinal) || name.StartsWith("embed_tokens.", StringComparison.Ordinal)
                || name.StartsWith("norm.", StringComparison.Ordinal));

    /// <summary>Builds the model on meta and fills it from <paramref name="source"/> in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static T Load<T>(Func<ModuleOptions, T> build, ITensorSource source, Device device, DType dtype,
        Action<long, long>? progress = null, string? prefix = null) where T : Module
    {
        var model = build(new ModuleOptions(dtype, Device.Meta));
        model.LoadStateDict(source, prefix ?? TextPrefix(source), strict: true, device, progress);
        return model;
    }
}
