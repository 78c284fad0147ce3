using System.Text.Json;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// What a release file or folder holds (architecture map §1): components found by their key prefixes (single-file
/// bundles of LTX-2/2.3, per-component files of LTX-2.5), the embedded config sections, model_version and the
/// generation they imply.
/// </summary>
public sealed record CheckpointInventory(string Generation, string? ModelVersion, IReadOnlyList<ComponentInfo> Components,
    IReadOnlyDictionary<string, string> Configs)
{
    // Longest prefix first, so connectors under model.diffusion_model. are not counted as transformer.
    private static readonly (string Prefix, string Component)[] KnownPrefixes =
    {
        ("model.diffusion_model.video_embeddings_connector.", "video text connector"),
        ("model.diffusion_model.audio_embeddings_connector.", "audio text connector"),
        (TransformerKeys.Prefix, "transformer"),
        ("text_embedding_projection.", "text projection"),
        ("vae.", "video VAE"),
        ("audio_vae.", "audio VAE"),
        ("vocoder.", "vocoder"),
        ("duration_head.", "duration head"),
        ("language_model.model.", "Gemma 3 text encoder"),
        ("vision_tower.", "Gemma vision tower"),
        ("multi_modal_projector.", "Gemma multimodal projector"),
        ("model.language_model.", "Gemma 4 text encoder"),
        ("model.layers.", "Gemma 4 text encoder"),
        ("model.embed_tokens.", "Gemma 4 text encoder"),
        ("model.norm.", "Gemma 4 text encoder"),
        ("encoder.", "video VAE (split file)"),
        ("decoder.", "video VAE (split file)"),
        ("per_channel_statistics.", "video VAE (split file)"),
    };

    /// <summary>Inspects a .safetensors file, or every .safetensors file in a folder.</summary>
    public static CheckpointInventory Inspect(string path)
    {
        var files = System.IO.Directory.Exists(path)
            ? System.IO.Directory.GetFiles(path, "*.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : new[] { path };
        if (files.Length == 0) throw new FileNotFoundException($"no .safetensors files under {path}");
        var components = new List<ComponentInfo>();
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        string? version = null;
        bool gemmaSource = false;
        foreach (var file in files)
        {
            using var st = SafetensorsFile.Open(file);
            version ??= st.Metadata.GetValueOrDefault("model_version");
            gemmaSource |= st.Metadata.ContainsKey("gemma_source_checkpoint");
            if (st.Metadata.TryGetValue("config", out var config)) ReadSections(config, configs, Path.GetFileName(file));
            components.AddRange(st.Keys.GroupBy(k => Classify(k, st.Metadata)).Select(g => Summarise(g.Key, file, st, g.ToList())));
        }
        return new CheckpointInventory(DetectGeneration(version, configs, gemmaSource), version, components, configs);
    }

    private static (string Prefix, string Component) Classify(string key, IReadOnlyDictionary<string, string> metadata)
    {
        foreach (var known in KnownPrefixes)
            if (key.StartsWith(known.Prefix, StringComparison.Ordinal)) return known;
        if (key.Contains(".lora_A.", StringComparison.Ordinal) || key.Contains(".lora_B.", StringComparison.Ordinal)
            || key.EndsWith(".alpha", StringComparison.Ordinal)) return ("", "LoRA");
        // Upsampler files keep their fields at the top level of config and bare module names.
        if (metadata.TryGetValue("config", out var c) && c.Contains("\"spatial_upsample\"", StringComparison.Ordinal)) return ("", "latent upsampler");
        return ("", "other");
    }

    private static ComponentInfo Summarise((string Prefix, string Component) kind, string file, SafetensorsFile st, List<string> keys) =>
        new(kind.Component, file, kind.Prefix, keys.Count, keys.Sum(k => st.Info(k).Numel),
            keys.Select(k => st.Info(k).DType.TorchName()).Distinct().Order(StringComparer.Ordinal).ToList());

    private static void ReadSections(string config, Dictionary<string, string> sections, string file)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return;
            foreach (var section in document.RootElement.EnumerateObject())
                if (section.Value.ValueKind == JsonValueKind.Object) sections.TryAdd(section.Name, section.Value.GetRawText());
                else sections.TryAdd($"{file}:{section.Name}", section.Value.GetRawText());
        }
        catch (JsonException) { sections[$"{file}:config"] = "(not valid JSON)"; }
    }

    /// <summary>model_version wins; otherwise the transformer's flags tell LTX-2 (in-model caption projection) from 2.3+.</summary>
    private static string DetectGeneration(string? version, IReadOnlyDictionary<string, string> configs, bool gemmaSource)
    {
        if (version is not null)
        {
            var parts = version.Replace('-', '.').Split('.').TakeWhile(p => int.TryParse(p, out _)).Select(int.Parse).ToArray();
            if (parts.Length >= 2 && (parts[0], parts[1]) is (2, >= 5)) return $"LTX-2.5 (model_version {version})";
            if (parts.Length >= 2 && (parts[0], parts[1]) is (2, >= 3)) return $"LTX-2.3 (model_version {version})";
            return $"LTX-2 (model_version {version})";
        }
        if (gemmaSource) return "LTX-2.5 (gemma_source_checkpoint present)";
        if (!configs.TryGetValue("transformer", out var transformer)) return "unknown (no transformer config)";
        return transformer.Contains("\"caption_proj_before_connector\": true", StringComparison.Ordinal)
            || transformer.Contains("\"caption_proj_before_connector\":true", StringComparison.Ordinal)
            ? "LTX-2.3 or later (22B: caption projection before the connector)"
            : "LTX-2 (19B: caption projection inside the transformer)";
    }
}
