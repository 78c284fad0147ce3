using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Enhancement;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// Where each component of one model lives, found from the files' own keys and metadata (architecture map §1): the
/// LTX-2 / 2.3 single-file bundle, or LTX-2.5's per-component files (transformer, VAE, audio VAE + vocoder, text
/// projection); the latent upsampler (config with <c>spatial_upsample</c>, x2 preferred), a distilled LoRA
/// (<c>lora_A</c> keys, "distilled" in the name) and a Gemma folder (config.json + tokenizer.model). Prompt
/// enhancement's system prompts are files the user places in <c>prompts/</c> (<see cref="EnhancementOf"/>).
/// </summary>
public sealed record ModelFiles(
    string Directory, string Transformer, string Connectors, string Projection, string VideoVae, string? AudioVae, string? Vocoder,
    string Gemma, string? Upsampler, string? DistilledLora, string? ModelVersion, bool TransformerIsDistilled, string VideoDecoderKind = "conv")
{
    /// <summary>The folder, inside the model's, that holds the enhancement system prompts.</summary>
    public const string PromptsFolder = "prompts";

    /// <summary>Whether this model can rewrite prompts, and with which system prompt files.</summary>
    public PromptEnhancement Enhancement => EnhancementOf(Directory, Gemma);

    /// <summary>
    /// model_version as a Version (2.3.0 -> 2.3.0), or null when the files carry none (LTX-2 19B). Pre-release tags
    /// ("2.4-rc2", "2.3.rc1") count as the release they precede, as the reference normalises them.
    /// </summary>
    public Version? Version => ParseVersion(ModelVersion);

    public static Version? ParseVersion(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var numbers = text.Replace('-', '.').Split('.').TakeWhile(p => int.TryParse(p, out _)).Select(int.Parse).Take(4).ToList();
        return numbers.Count switch
        {
            0 => null,
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            3 => new Version(numbers[0], numbers[1], numbers[2]),
            _ => new Version(numbers[0], numbers[1], numbers[2], numbers[3]),
        };
    }

    /// <summary>The pipelines these files can run.</summary>
    public IReadOnlyList<string> Pipelines
    {
        get
        {
            var list = new List<string>();
            if (TransformerIsDistilled || DistilledLora is not null) list.Add("distilled");
            if (!TransformerIsDistilled) list.Add("one-stage");
            if (!TransformerIsDistilled && Upsampler is not null) list.Add("two-stage");
            return list;
        }
    }

    /// <summary>Reads the safetensors headers under <paramref name="directory"/>; null with <paramref name="problem"/> when incomplete.</summary>
    public static ModelFiles? Locate(string directory, out string? problem)
    {
        var files = System.IO.Directory.GetFiles(directory, "*.safetensors", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        string? transformer = null, connectors = null, projection = null, vae = null, audioVae = null, vocoder = null, upsampler = null, lora = null, version = null;
        string? diffusionVae = null; // LTX-2.5 diffusion decoder: used only when no conv VAE file is present (the conv one tiles)
        foreach (var path in files)
        {
            using var file = SafetensorsFile.Open(path);
            bool Has(string prefix) => file.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
            var name = Path.GetFileName(path);
            if (file.Keys.Any(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal)))
            {
                if (name.Contains("distill", StringComparison.OrdinalIgnoreCase)) lora ??= path;
                continue;
            }
            if (file.Metadata.TryGetValue("config", out var config) && config.Contains("\"spatial_upsample\"", StringComparison.Ordinal))
            {
                if (IsSpatialX2(config) && (upsampler is null || !IsSpatialX2Path(upsampler))) upsampler = path;
                continue;
            }
            version ??= file.Metadata.GetValueOrDefault("model_version");
            if (Has(TransformerKeys.Prefix + "transformer_blocks.")) transformer ??= path;
            if (Has(EmbeddingsProcessor.VideoConnectorPrefix)) connectors ??= path;
            if (Has(EmbeddingsProcessor.ProjectionPrefix)) projection ??= path;
            if (Has("vae.decoder.det_stages.") || Has("decoder.det_stages.")) diffusionVae ??= path;
            else if (Has("vae.decoder.") || Has("decoder.up_blocks.")) vae ??= path;
            if (Has("audio_vae.decoder.")) audioVae ??= path;
            if (Has("vocoder.")) vocoder ??= path;
        }
        var decoderKind = vae is null && diffusionVae is not null ? "diffusion" : "conv";
        vae ??= diffusionVae;
        var gemma = GemmaFolder(directory);
        var missing = new List<string>();
        if (transformer is null) missing.Add("the transformer (model.diffusion_model.transformer_blocks.*)");
        if (connectors is null) missing.Add("the text connectors (model.diffusion_model.video_embeddings_connector.*)");
        if (projection is null) missing.Add("the text projection (text_embedding_projection.*)");
        if (vae is null) missing.Add("the video VAE (vae.decoder.*)");
        if (gemma is null) missing.Add("a Gemma 3 folder (config.json + tokenizer.model or tokenizer.json + weights)");
        problem = missing.Count == 0 ? null : $"{directory}: missing {string.Join(", ", missing)}";
        if (problem is not null) return null;
        bool distilled = Path.GetFileName(transformer!).Contains("distill", StringComparison.OrdinalIgnoreCase);
        return new ModelFiles(directory, transformer!, connectors!, projection!, vae!, audioVae, vocoder, gemma!, upsampler, lora, version, distilled, decoderKind);
    }

    /// <summary>The first sub-folder with a Gemma config.json and a tokenizer.model or tokenizer.json (GemmaTokenizer reads either), or null.</summary>
    public static string? GemmaFolder(string directory) =>
        System.IO.Directory.GetDirectories(directory).Order(StringComparer.Ordinal)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "config.json"))
                && (File.Exists(Path.Combine(d, "tokenizer.model")) || File.Exists(Path.Combine(d, "tokenizer.json"))));

    /// <summary>
    /// Prompt enhancement from the files alone: the Gemma folder's config.json must name a Gemma 3 (gemma3 /
    /// gemma3_text, which the reference both encodes and generates with; LTX-2.5's gemma4_unified encoder is encode-only
    /// there), and <c>prompts/</c> must hold ltx_core's system prompt for the request kind. The project does not ship
    /// those texts, so a missing one is reported with where to put it.
    /// </summary>
    public static PromptEnhancement EnhancementOf(string directory, string? gemma)
    {
        if (gemma is null) return PromptEnhancement.Unsupported($"{directory} has no Gemma 3 folder to generate with");
        string? modelType;
        using (var config = GemmaCheckpoint.ReadConfig(gemma))
            modelType = config.RootElement.TryGetProperty("model_type", out var t) ? t.GetString() : "gemma3";
        if (modelType is not ("gemma3" or "gemma3_text"))
            return PromptEnhancement.Unsupported(Gemma4Config.ModelTypes.Contains(modelType)
                ? $"the text encoder in {gemma} is LTX-2.5's Gemma 4 encoder (model_type {modelType}), which only encodes; enhancement needs a Gemma 3 folder"
                : $"the text encoder in {gemma} (model_type {modelType}) cannot generate; enhancement needs a Gemma 3 folder");
        var folder = Path.Combine(directory, PromptsFolder);
        string? PromptFile(bool t2v)
        {
            var path = Path.Combine(folder, PromptEnhancer.SystemPromptFileName(t2v));
            return File.Exists(path) ? path : null;
        }
        string? Why(bool t2v) => PromptFile(t2v) is not null ? null
            : $"no system prompt for {(t2v ? "text" : "image")}-to-video: put {PromptEnhancer.SystemPromptFileName(t2v)} "
              + $"(ltx_core text_encoders/gemma/encoders/prompts/) in {folder}";
        return new PromptEnhancement(PromptFile(true), PromptFile(false), Why(true), Why(false));
    }

    private static bool IsSpatialX2Path(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return IsSpatialX2(file.Metadata["config"]);
    }

    private static bool IsSpatialX2(string config)
    {
        using var document = JsonDocument.Parse(config);
        var root = document.RootElement;
        bool spatial = root.TryGetProperty("spatial_upsample", out var s) && s.ValueKind == JsonValueKind.True;
        bool temporal = root.TryGetProperty("temporal_upsample", out var t) && t.ValueKind == JsonValueKind.True;
        double scale = root.TryGetProperty("spatial_scale", out var sc) && sc.ValueKind == JsonValueKind.Number ? sc.GetDouble() : 2.0;
        bool rational = root.TryGetProperty("rational_resampler", out var r) && r.ValueKind == JsonValueKind.True;
        return spatial && !temporal && scale == 2.0 && !rational;
    }
}
