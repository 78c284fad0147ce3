namespace LtxLocal.Inference.Catalog;

/// <summary>
/// The files that make up a model's weights, for its manifest: every component file the catalog located (transformer,
/// text connectors and projection, video VAE, audio VAE and vocoder, latent upsampler, distilled LoRA; one file when the
/// release bundles them), the Gemma folder's weights and tokenizer, and the LoRAs a job names. A component a given
/// pipeline does not read (the upsampler in one-stage) is listed too: the set is what the model is.
/// </summary>
public static class ModelWeightFiles
{
    /// <summary>Absolute paths, each once, ordered by path; empty for a model described by its manifest alone.</summary>
    public static IReadOnlyList<string> Of(ModelDescriptor model, IEnumerable<string>? loraNames = null)
    {
        if (model.Files is not { } f) return [];
        var paths = new List<string?> { f.Transformer, f.Connectors, f.Projection, f.VideoVae, f.AudioVae, f.Vocoder, f.Upsampler, f.DistilledLora };
        if (Directory.Exists(f.Gemma))
        {
            paths.AddRange(Directory.EnumerateFiles(f.Gemma, "*.safetensors"));
            paths.Add(Path.Combine(f.Gemma, "tokenizer.model"));
        }
        foreach (var name in loraNames ?? [])
            if (LoraFolder.IsPlainName(name)) paths.Add(LoraFolder.PathOf(model.Directory, name));
        return [.. paths.OfType<string>().Where(File.Exists).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
