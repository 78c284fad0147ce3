using System.Text.Json;
using LtxLocal.Inference.Catalog;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// The configs a model's sizes are read from, in the form the checkpoints carry them: each file's safetensors
/// <c>__metadata__</c> (string values; <c>config</c> holds the JSON the reference configurators read) and the text
/// encoder's Hugging Face config. Read from a model folder's headers, or from the released configurations kept in the
/// repository (<see cref="ReleasedModels"/>), so one reader serves both.
/// </summary>
public sealed record ModelConfigs(
    string Source,
    IReadOnlyDictionary<string, string> Transformer,
    IReadOnlyDictionary<string, string> VideoVae,
    IReadOnlyDictionary<string, string>? AudioVae,
    IReadOnlyDictionary<string, string>? Vocoder,
    IReadOnlyDictionary<string, string>? Upsampler,
    JsonElement Gemma)
{
    /// <summary>The headers of a model folder's files (no tensor is read).</summary>
    public static ModelConfigs Read(ModelFiles files)
    {
        static IReadOnlyDictionary<string, string>? MetadataOf(string? path)
        {
            if (path is null) return null;
            using var file = SafetensorsFile.Open(path);
            return new Dictionary<string, string>(file.Metadata);
        }
        using var gemma = GemmaCheckpoint.ReadConfig(files.Gemma);
        return new ModelConfigs(files.Directory, MetadataOf(files.Transformer)!, MetadataOf(files.VideoVae)!, MetadataOf(files.AudioVae),
            MetadataOf(files.Vocoder), MetadataOf(files.Upsampler), gemma.RootElement.Clone());
    }

    /// <summary>
    /// A header's metadata from its JSON form: string values as they are, any other value (the <c>config</c> object)
    /// as its JSON text, which is how the safetensors header stores it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MetadataFrom(JsonElement json) =>
        json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
}
