using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.TextEncoder;

/// <summary>
/// Finds and loads a Gemma text tower: Google's Hugging Face layout (config.json + sharded safetensors + index +
/// tokenizer.model in one folder) or a single safetensors file whose <c>__metadata__["config"]</c> is the config.json.
/// </summary>
public static class GemmaCheckpoint
{
    /// <summary>Where the text tower's keys live: transformers 4.x multimodal, 5.x multimodal, text-only.</summary>
    public static readonly string[] TextPrefixes = ["language_model.model.", "model.language_model.", "model."];

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
        if (!file.Metadata.TryGetValue("config", out var text))
            throw new ModelConfigException($"{path}: no \"config\" in the safetensors metadata");
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

    /// <summary>Builds the model on meta and fills it from <paramref name="source"/> in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static T Load<T>(Func<ModuleOptions, T> build, ITensorSource source, Device device, DType dtype,
        Action<long, long>? progress = null) where T : Module
    {
        var model = build(new ModuleOptions(dtype, Device.Meta));
        model.LoadStateDict(source, TextPrefix(source), strict: true, device, progress);
        return model;
    }
}
