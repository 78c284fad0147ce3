using System.Text.Json;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// The one authority on what each sub-folder of a models directory can run. The files decide (<see cref="ModelFiles"/>):
/// components, generation (model_version), pipelines, audio, video decoder kind, prompt enhancement. An
/// <c>ltx-model.json</c> manifest (<c>{"id", "aliases", "default", "description", "kind"}</c>) only names and describes the model;
/// a manifest's <c>pipelines</c>/<c>audio</c> count only for a folder that holds no weights (a model another backend serves).
/// The LoRAs of <c>loras/</c> are listed and checked against the transformer with the rest (<see cref="LoraFolder"/>).
/// The default is the one whose manifest says so, else the first by id; "Lightricks/LTX-2" names it. Each folder is
/// described once and again only when its files change (<see cref="FolderStamp"/>), so no safetensors header is reopened
/// per request; the directory is re-listed at most every few seconds so a model copied in shows up.
/// </summary>
/// <param name="rescan">how often the directory is listed again (default 5 s)</param>
/// <param name="digests">when given, each model's weight files start hashing (in the background) when a folder is first
/// described or has changed, for the jobs' reproducibility manifests</param>
public sealed class ModelDirectoryCatalog(string modelsDirectory, TimeSpan? rescan = null, WeightDigests? digests = null) : IModelCatalog
{
    public const string ManifestName = "ltx-model.json";
    private readonly TimeSpan _rescan = rescan ?? TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Stamp, ModelDescriptor? Model, string? Problem)> _folders = new(StringComparer.Ordinal);
    private IReadOnlyList<ModelDescriptor> _models = [];
    private DateTime _scannedAt = DateTime.MinValue;

    public string ModelsDirectory { get; } = Path.GetFullPath(modelsDirectory);

    /// <summary>Folders that were skipped and why (a broken manifest, files that could not be read).</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    public IReadOnlyList<ModelDescriptor> List()
    {
        lock (_lock)
        {
            if (DateTime.UtcNow - _scannedAt >= _rescan)
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
        var dirs = Directory.Exists(ModelsDirectory) ? Directory.EnumerateDirectories(ModelsDirectory).Order(StringComparer.Ordinal).ToList() : [];
        foreach (var gone in _folders.Keys.Except(dirs).ToList()) _folders.Remove(gone);
        foreach (var dir in dirs)
        {
            var stamp = FolderStamp.Of(dir);
            if (!_folders.TryGetValue(dir, out var known) || known.Stamp != stamp)
            {
                try
                {
                    var model = Describe(dir, out var problem);
                    known = (stamp, model, model is null ? problem : null);
                    if (model is not null) digests?.Prefetch(ModelWeightFiles.Of(model, model.Loras.Select(l => l.Name)));
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IOException or InvalidDataException
                                              or UnauthorizedAccessException)
                {
                    known = (stamp, null, $"{dir}: {e.Message}");
                }
                _folders[dir] = known;
            }
            if (known.Model is not null) found.Add(known.Model);
            else if (known.Problem is not null) problems.Add(known.Problem);
        }
        Problems = problems;
        found = [.. found.DistinctBy(m => m.Id, StringComparer.OrdinalIgnoreCase).OrderBy(m => m.Id, StringComparer.Ordinal)];
        var chosen = found.FirstOrDefault(m => m.IsDefault) ?? found.FirstOrDefault();
        return [.. found.Select(m => m with { IsDefault = ReferenceEquals(m, chosen) })];
    }

    /// <summary>
    /// One folder's model: what its files can run, named by its manifest when there is one (else by the folder); null when
    /// the folder holds neither weights nor a manifest. A folder with a manifest but incomplete weights is listed with its
    /// <see cref="ModelDescriptor.Problem"/>.
    /// </summary>
    public static ModelDescriptor? Describe(string dir, out string? problem)
    {
        problem = null;
        var hasWeights = Directory.EnumerateFiles(dir, "*.safetensors").Any();
        var files = hasWeights ? ModelFiles.Locate(dir, out problem) : null;
        var manifestPath = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifestPath))
        {
            if (files is null) return null;
            return new ModelDescriptor(Path.GetFileName(dir), dir, [], files.Pipelines, files.AudioVae is not null && files.Vocoder is not null, false,
                $"detected: {Path.GetFileName(files.Transformer)}" + (files.ModelVersion is { } v ? $" (model_version {v})" : ""),
                files.Enhancement, files.Version, files) { Loras = LoraFolder.List(dir, files.Transformer) };
        }
        var manifest = ModelManifest.Read(manifestPath);
        if (files is not null)
            return new ModelDescriptor(manifest.Id, dir, manifest.Aliases, files.Pipelines, files.AudioVae is not null && files.Vocoder is not null,
                manifest.IsDefault, manifest.Description, files.Enhancement, files.Version, files, Kind: manifest.Kind)
                { Loras = LoraFolder.List(dir, files.Transformer) };
        // No weights, or incomplete ones: the manifest's declaration stands, and the problem travels with the model.
        return new ModelDescriptor(manifest.Id, dir, manifest.Aliases, manifest.Pipelines ?? [Pipelines.PipelineNames.Distilled],
            manifest.Audio ?? true, manifest.IsDefault, manifest.Description, ModelFiles.EnhancementOf(dir, ModelFiles.GemmaFolder(dir)),
            Problem: hasWeights ? problem : null, Kind: manifest.Kind);
    }
}
