using System.Text.Json;

namespace LtxLocal.Inference.Models;

/// <summary>
/// The models under a models directory, one per sub-folder: described by an <c>ltx-model.json</c> manifest
/// (<c>{"id", "aliases", "pipelines", "audio", "default", "device", "description", "kind"}</c>) or detected from the files
/// (<see cref="ModelFiles"/>; id = folder name); either way with its prompt enhancement (<see cref="ModelFiles.EnhancementOf"/>). The default is the one whose manifest says so, else the first by id;
/// "Lightricks/LTX-2" names it. The folder is re-scanned at most every few seconds so a model copied in shows up.
/// </summary>
public sealed class ModelDirectoryCatalog(string modelsDirectory) : IModelCatalog
{
    public const string ManifestName = "ltx-model.json";
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private IReadOnlyList<ModelDescriptor> _models = [];
    private DateTime _scannedAt = DateTime.MinValue;

    public string ModelsDirectory { get; } = Path.GetFullPath(modelsDirectory);

    /// <summary>Folders that were skipped and why (incomplete files, a broken manifest).</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public IReadOnlyList<ModelDescriptor> List()
    {
        lock (_lock)
        {
            if (DateTime.UtcNow - _scannedAt > Rescan)
            {
                _models = Scan();
                _scannedAt = DateTime.UtcNow;
            }
            return _models;
        }
    }

    public ModelDescriptor? Default => List().FirstOrDefault(m => m.IsDefault);

    public ModelDescriptor? Resolve(string idOrAlias)
    {
        if (idOrAlias.Equals(IModelCatalog.DefaultAlias, StringComparison.OrdinalIgnoreCase)) return Default;
        return List().FirstOrDefault(m => m.Id.Equals(idOrAlias, StringComparison.OrdinalIgnoreCase))
            ?? List().FirstOrDefault(m => m.Aliases.Contains(idOrAlias, StringComparer.OrdinalIgnoreCase));
    }

    private List<ModelDescriptor> Scan()
    {
        var found = new List<ModelDescriptor>();
        var problems = new List<string>();
        if (Directory.Exists(ModelsDirectory))
            foreach (var dir in Directory.EnumerateDirectories(ModelsDirectory).Order(StringComparer.Ordinal))
            {
                try
                {
                    if (Describe(dir, out var problem) is { } model) found.Add(model);
                    else if (problem is not null) problems.Add(problem);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IOException or InvalidDataException)
                {
                    problems.Add($"{dir}: {e.Message}");
                }
            }
        Problems = problems;
        found = [.. found.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).OrderBy(m => m.Id, StringComparer.Ordinal)];
        var chosen = found.FirstOrDefault(m => m.IsDefault) ?? found.FirstOrDefault();
        return [.. found.Select(m => m with { IsDefault = ReferenceEquals(m, chosen) })];
    }

    // Tiny models written before manifests had "kind" are still recognised by their id.
    private static string KindOf(JsonElement manifest, string id) =>
        manifest.TryGetProperty("kind", out var kind) ? kind.GetString() ?? ModelDescriptor.FullKind
        : id == Tiny.TinyModel.Id ? ModelDescriptor.TinyKind : ModelDescriptor.FullKind;

    /// <summary>One folder's model: its manifest when present, else what its files say; null when it holds none.</summary>
    public static ModelDescriptor? Describe(string dir, out string? problem)
    {
        problem = null;
        var manifest = Path.Combine(dir, ManifestName);
        if (File.Exists(manifest))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            var json = document.RootElement;
            string[] Strings(string name) => json.TryGetProperty(name, out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : [];
            var id = json.GetProperty("id").GetString();
            if (string.IsNullOrWhiteSpace(id)) throw new InvalidOperationException("'id' is empty");
            var pipelines = Strings("pipelines");
            return new ModelDescriptor(id, dir, Strings("aliases"), pipelines.Length > 0 ? pipelines : ["distilled"],
                !json.TryGetProperty("audio", out var audio) || audio.GetBoolean(),
                json.TryGetProperty("default", out var d) && d.GetBoolean(),
                json.TryGetProperty("description", out var desc) ? desc.GetString() : null,
                ModelFiles.EnhancementOf(dir, ModelFiles.GemmaFolder(dir)),
                KindOf(json, id));
        }
        if (!Directory.EnumerateFiles(dir, "*.safetensors").Any()) return null;
        var files = ModelFiles.Locate(dir, out problem);
        if (files is null) return null;
        var name = Path.GetFileName(dir);
        return new ModelDescriptor(name, dir, [], files.Pipelines, files.AudioVae is not null && files.Vocoder is not null, false,
            $"detected: {Path.GetFileName(files.Transformer)}" + (files.ModelVersion is { } v ? $" (model_version {v})" : ""), files.Enhancement);
    }
}
