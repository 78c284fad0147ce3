using System.Text.Json;

namespace LtxLocal.Torch.Safetensors;

/// <summary>
/// A checkpoint split over several .safetensors files: the Hugging Face layout with an index JSON
/// (<c>model.safetensors.index.json</c>: {"metadata": {...}, "weight_map": {tensor: file}}), or a plain set of files.
/// </summary>
public sealed class ShardedSafetensors : ITensorSource, IDisposable
{
    private readonly List<SafetensorsFile> _files = new();
    private readonly Dictionary<string, SafetensorsFile> _owner = new(StringComparer.Ordinal);

    private ShardedSafetensors() { }

    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>The index's "metadata" (empty without an index).</summary>
    public IReadOnlyDictionary<string, string> IndexMetadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Opens a file, an index JSON, or a directory (its single index, else every .safetensors file in it).</summary>
    public static ITensorSource OpenAny(string path)
    {
        if (File.Exists(path))
            return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenIndex(path) : SafetensorsFile.Open(path);
        if (!Directory.Exists(path)) throw new FileNotFoundException($"no checkpoint at {path}");
        var indexes = Directory.GetFiles(path, "*.safetensors.index.json");
        if (indexes.Length == 1) return OpenIndex(indexes[0]);
        if (indexes.Length > 1) throw new InvalidDataException($"{path}: several index files ({string.Join(", ", indexes.Select(System.IO.Path.GetFileName))})");
        var files = Directory.GetFiles(path, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{path}: no .safetensors files");
        return files.Length == 1 ? SafetensorsFile.Open(files[0]) : OpenFiles(files);
    }

    /// <summary>Opens the shards an index names, checking that each listed tensor is in its shard.</summary>
    public static ShardedSafetensors OpenIndex(string indexPath)
    {
        Dictionary<string, string> weightMap;
        Dictionary<string, string> metadata = new();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{indexPath}: no \"weight_map\" object");
            weightMap = map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()
                ?? throw new InvalidDataException($"{indexPath}: weight_map entry '{p.Name}' is not a file name"));
            if (document.RootElement.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
                foreach (var p in meta.EnumerateObject()) metadata[p.Name] = p.Value.ToString();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{indexPath}: not valid JSON ({e.Message})", e);
        }
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;
        var result = new ShardedSafetensors { IndexMetadata = metadata };
        try
        {
            var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var file in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                var shard = SafetensorsFile.Open(System.IO.Path.Combine(directory, file));
                shards[file] = shard;
                result._files.Add(shard);
            }
            foreach (var (name, file) in weightMap)
            {
                var shard = shards[file];
                if (!shard.Contains(name)) throw new InvalidDataException($"{indexPath}: '{name}' is listed in {file} but not stored there");
                result._owner[name] = shard;
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Merges several files; a tensor name in two files is an error.</summary>
    public static ShardedSafetensors OpenFiles(IEnumerable<string> paths)
    {
        var result = new ShardedSafetensors();
        try
        {
            foreach (var path in paths)
            {
                var file = SafetensorsFile.Open(path);
                result._files.Add(file);
                foreach (var name in file.Keys)
                {
                    if (result._owner.TryGetValue(name, out var other))
                        throw new InvalidDataException($"tensor '{name}' is in both {other.Path} and {path}");
                    result._owner[name] = file;
                }
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public IReadOnlyCollection<string> Keys => _owner.Keys;

    public bool Contains(string name) => _owner.ContainsKey(name);

    public TensorInfo Info(string name) => Shard(name).Info(name);

    public Tensor Load(string name, Device device, DType? dtype = null) => Shard(name).Load(name, device, dtype);

    /// <summary>The shard holding <paramref name="name"/>.</summary>
    public SafetensorsFile Shard(string name) =>
        _owner.TryGetValue(name, out var file) ? file : throw new KeyNotFoundException($"no tensor '{name}' in this checkpoint");

    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }
}
