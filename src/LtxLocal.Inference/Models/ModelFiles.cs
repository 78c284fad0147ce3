using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Models;

/// <summary>
/// Where each component of one model lives, found from the files' own keys and metadata (architecture map §1): the
/// LTX-2 / 2.3 single-file bundle, or LTX-2.5's per-component files (transformer, VAE, audio VAE + vocoder, text
/// projection); the latent upsampler (config with <c>spatial_upsample</c>, x2 preferred), a distilled LoRA
/// (<c>lora_A</c> keys, "distilled" in the name) and a Gemma folder (config.json + tokenizer.model).
/// </summary>
public sealed record ModelFiles(
    string Directory, string Transformer, string Connectors, string Projection, string VideoVae, string? AudioVae, string? Vocoder,
    string Gemma, string? Upsampler, string? DistilledLora, string? ModelVersion, bool TransformerIsDistilled)
{
    /// <summary>model_version as a Version (2.3.0 -> 2.3), or null when the files carry none (LTX-2 19B).</summary>
    public Version? Version => System.Version.TryParse(ModelVersion, out var v) ? v : null;

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
        vae ??= diffusionVae;
        var gemma = System.IO.Directory.GetDirectories(directory).Order(StringComparer.Ordinal)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "config.json")) && File.Exists(Path.Combine(d, "tokenizer.model")));
        var missing = new List<string>();
        if (transformer is null) missing.Add("the transformer (model.diffusion_model.transformer_blocks.*)");
        if (connectors is null) missing.Add("the text connectors (model.diffusion_model.video_embeddings_connector.*)");
        if (projection is null) missing.Add("the text projection (text_embedding_projection.*)");
        if (vae is null) missing.Add("the video VAE (vae.decoder.*)");
        if (gemma is null) missing.Add("a Gemma 3 folder (config.json + tokenizer.model + weights)");
        problem = missing.Count == 0 ? null : $"{directory}: missing {string.Join(", ", missing)}";
        if (problem is not null) return null;
        bool distilled = Path.GetFileName(transformer!).Contains("distill", StringComparison.OrdinalIgnoreCase);
        return new ModelFiles(directory, transformer!, connectors!, projection!, vae!, audioVae, vocoder, gemma!, upsampler, lora, version, distilled);
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
