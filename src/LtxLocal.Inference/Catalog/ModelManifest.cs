using System.Text.Json;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// An <c>ltx-model.json</c>: the id, aliases, default flag, description and kind it gives a model folder; its pipelines
/// and audio are read too, for folders without weights (the files decide everywhere else).
/// </summary>
public sealed record ModelManifest(string Id, IReadOnlyList<string> Aliases, bool IsDefault, string? Description,
    IReadOnlyList<string>? Pipelines, bool? Audio, string Kind)
{
    public static ModelManifest Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var json = document.RootElement;
        string[]? Strings(string name) => json.TryGetProperty(name, out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : null;
        var id = json.GetProperty("id").GetString();
        if (string.IsNullOrWhiteSpace(id)) throw new InvalidOperationException("'id' is empty");
        var pipelines = Strings("pipelines");
        return new ModelManifest(id, Strings("aliases") ?? [], json.TryGetProperty("default", out var d) && d.GetBoolean(),
            json.TryGetProperty("description", out var desc) ? desc.GetString() : null,
            pipelines is { Length: > 0 } ? pipelines : null,
            json.TryGetProperty("audio", out var audio) ? audio.GetBoolean() : null,
            KindOf(json, id));
    }

    // Tiny models written before manifests had "kind" are still recognised by their id.
    private static string KindOf(JsonElement manifest, string id) =>
        manifest.TryGetProperty("kind", out var kind) ? kind.GetString() ?? ModelDescriptor.FullKind
        : id == Tiny.TinyModel.Id ? ModelDescriptor.TinyKind : ModelDescriptor.FullKind;
}
