using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// The LoRAs a model offers: the <c>*.safetensors</c> files in its folder's <c>loras/</c>, each checked once against the
/// transformer's header (every layer must name one of its weights with matching shapes). Requests name them; a client never
/// sends a path, so a name is a bare file name (no separator, no "..").
/// </summary>
public static class LoraFolder
{
    public const string Name = "loras";
    private const string Extension = ".safetensors";

    /// <summary>The LoRAs of the model in <paramref name="modelDirectory"/>, by name; none when there is no loras/.</summary>
    public static IReadOnlyList<LoraFile> List(string modelDirectory, string transformerFile)
    {
        var folder = Path.Combine(modelDirectory, Name);
        if (!Directory.Exists(folder)) return [];
        var paths = Directory.GetFiles(folder, "*" + Extension, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0) return [];
        using var transformer = SafetensorsFile.Open(transformerFile);
        var view = new KeyMappedSource(transformer, TransformerKeys.Prefix, name => !TransformerKeys.IsConnector(name));
        return [.. paths.Select(path => Describe(path, view))];
    }

    /// <summary>Whether <paramref name="name"/> can only name a file directly inside loras/ (no path, no "..", no control characters).</summary>
    public static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 200 && name.Trim() == name && name != "." && !name.Contains("..", StringComparison.Ordinal)
        && name.IndexOfAny(['/', '\\', ':']) < 0 && !name.Any(char.IsControl);

    /// <summary>The name a request uses for <paramref name="name"/>: the file name with or without its extension.</summary>
    public static string Normalise(string name) =>
        name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase) ? name[..^Extension.Length] : name;

    /// <summary>The file a LoRA name stands for in <paramref name="modelDirectory"/> (whether it exists is the caller's question).</summary>
    public static string PathOf(string modelDirectory, string name) =>
        IsPlainName(name) ? Path.Combine(modelDirectory, Name, Normalise(name) + Extension)
            : throw new ArgumentException($"'{name}' is not a LoRA name", nameof(name));

    private static LoraFile Describe(string path, KeyMappedSource transformer)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var bytes = new FileInfo(path).Length;
        try
        {
            using var lora = LoraWeights.Open(path);
            var problem = LoraTargets.Mismatch(lora, target => transformer.Contains(target) ? transformer.Info(target).Shape : null);
            return new LoraFile(name, path, bytes, lora.Layers.Count, problem);
        }
        catch (Exception e) when (e is SafetensorsException or KeyNotFoundException or IOException or InvalidDataException or UnauthorizedAccessException or FormatException
                                      or System.Text.Json.JsonException or ArgumentException)
        {
            // Named by its file name: the reason reaches clients, the server's paths do not.
            return new LoraFile(name, path, bytes, 0, $"it cannot be read as a LoRA: {e.Message.Replace(path, System.IO.Path.GetFileName(path))}");
        }
    }
}
