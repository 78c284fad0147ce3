using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Models;

/// <summary>
/// Finds installed models as directories under the models directory that hold an
/// <c>ltx-model.json</c> manifest:
/// <code>{"id": "ltx-2-19b-distilled", "aliases": ["ltx-2"], "pipelines": ["distilled"], "audio": true, "default": true}</code>
/// The default is the model whose manifest says so, else the first by id. The directory is scanned
/// again at most every few seconds, so a model copied in while the server runs shows up.
/// (Full checkpoint discovery, reading the weights' own metadata, is the Models project's job.)
/// </summary>
public sealed class ManifestModelCatalog(IOptions<ServerOptions> options, ILogger<ManifestModelCatalog> logger) : IModelCatalog
{
    public const string ManifestName = "ltx-model.json";
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private IReadOnlyList<ModelDescriptor> _models = [];
    private DateTime _scannedAt = DateTime.MinValue;

    public string ModelsDirectory => Path.GetFullPath(options.Value.ModelsDir);

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
        if (!Directory.Exists(ModelsDirectory)) return found;
        foreach (var dir in Directory.EnumerateDirectories(ModelsDirectory).Order(StringComparer.Ordinal))
        {
            var manifest = Path.Combine(dir, ManifestName);
            if (!File.Exists(manifest)) continue;
            try
            {
                found.Add(Read(dir, JsonDocument.Parse(File.ReadAllText(manifest)).RootElement));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                logger.LogWarning("Skipping model manifest {Manifest}: {Reason}", manifest, e.Message);
            }
        }
        found = [.. found.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).OrderBy(m => m.Id, StringComparer.Ordinal)];
        var chosen = found.FirstOrDefault(m => m.IsDefault) ?? found.FirstOrDefault();
        return [.. found.Select(m => m with { IsDefault = ReferenceEquals(m, chosen) })];
    }

    private static ModelDescriptor Read(string dir, JsonElement json)
    {
        string[] Strings(string name) => json.TryGetProperty(name, out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : [];
        var id = json.GetProperty("id").GetString();
        if (string.IsNullOrWhiteSpace(id)) throw new InvalidOperationException("'id' is empty");
        var pipelines = Strings("pipelines");
        return new ModelDescriptor(
            id, dir, Strings("aliases"), pipelines.Length > 0 ? pipelines : ["distilled"],
            !json.TryGetProperty("audio", out var audio) || audio.GetBoolean(),
            json.TryGetProperty("default", out var d) && d.GetBoolean(),
            json.TryGetProperty("description", out var desc) ? desc.GetString() : null);
    }
}
