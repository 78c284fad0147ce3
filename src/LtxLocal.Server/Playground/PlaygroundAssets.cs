using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace LtxLocal.Server.Playground;

/// <summary>
/// The playground's files (index.html, its style sheet, scripts and icon), embedded in this assembly under
/// "playground/" (see the csproj), read once with their content type and an ETag. Nothing is read from disk, so the
/// page is the same in a single-file publish and needs no web root.
/// </summary>
public sealed class PlaygroundAssets
{
    public const string ResourcePrefix = "playground/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, PlaygroundAsset> _assets;

    public PlaygroundAssets() : this(typeof(PlaygroundAssets).Assembly)
    {
    }

    internal PlaygroundAssets(Assembly assembly)
    {
        var assets = new Dictionary<string, PlaygroundAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            assets[name] = new PlaygroundAsset(bytes, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        if (!assets.ContainsKey("index.html"))
            throw new InvalidOperationException("the playground's index.html is not embedded in LtxLocal.Server (EmbeddedResource in its csproj)");
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _assets.Keys;

    public PlaygroundAsset? Find(string name) => _assets.GetValueOrDefault(name);
}
