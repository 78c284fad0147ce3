using System.Text.Json;
using LtxLocal.Torch;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// Typed, checked access to one component's config as the released files embed it
/// (<c>__metadata__["config"]</c> = JSON {"transformer": {...}, "vae": {...}, ...}). A missing key without a
/// default, a value of the wrong type, or a value we do not support is a <see cref="ModelConfigException"/>
/// naming the component, key and value — never a silent default.
/// </summary>
public sealed class ConfigReader
{
    private readonly JsonElement _root;

    public ConfigReader(JsonElement root, string component)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ModelConfigException($"{component} config is not a JSON object");
        _root = root.Clone();
        Component = component;
    }

    public string Component { get; }

    /// <summary>The raw JSON of this component's config.</summary>
    public JsonElement Json => _root;

    /// <summary>Reads <paramref name="component"/> from a safetensors header's "config" metadata.</summary>
    public static ConfigReader FromMetadata(IReadOnlyDictionary<string, string> metadata, string component, string source)
    {
        if (!metadata.TryGetValue("config", out var text))
            throw new ModelConfigException($"{source}: no \"config\" in the safetensors metadata (not an LTX-2 release file?)");
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new ModelConfigException($"{source}: metadata \"config\" is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(component, out var section))
                throw new ModelConfigException($"{source}: the embedded config has no \"{component}\" section");
            return new ConfigReader(section, component);
        }
    }

    /// <summary>Whether the component config has the section <paramref name="component"/>.</summary>
    public static bool HasSection(IReadOnlyDictionary<string, string> metadata, string component)
    {
        if (!metadata.TryGetValue("config", out var text)) return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(component, out _);
        }
        catch (JsonException) { return false; }
    }

    public bool Has(string key) => _root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    private JsonElement? Get(string key) => _root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private ModelConfigException Error(string key, string problem) => new($"{Component} config key '{key}': {problem}");

    private JsonElement Required(string key) => Get(key) ?? throw Error(key, "missing");

    public long Long(string key, long? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetInt64(out var n)) return n;
        if (v.Value.ValueKind == JsonValueKind.Number && v.Value.TryGetDouble(out var d) && d == Math.Floor(d)) return (long)d;
        throw Error(key, $"expected an integer, found {v.Value}");
    }

    public int Int(string key, int? fallback = null) => checked((int)Long(key, fallback));

    public double Double(string key, double? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        return v.Value.ValueKind == JsonValueKind.Number ? v.Value.GetDouble() : throw Error(key, $"expected a number, found {v.Value}");
    }

    public bool Bool(string key, bool? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        return v.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(key, $"expected true or false, found {v.Value}"),
        };
    }

    public string String(string key, string? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        return v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : throw Error(key, $"expected a string, found {v.Value}");
    }

    /// <summary>A string that must be one of <paramref name="supported"/>.</summary>
    public string Choice(string key, string? fallback, params string[] supported)
    {
        var value = String(key, fallback);
        if (!supported.Contains(value))
            throw Error(key, $"value '{value}' is not supported (supported: {string.Join(", ", supported)})");
        return value;
    }

    /// <summary>Fails unless the key is absent or equals <paramref name="expected"/> (flags we implement one way only).</summary>
    public void Expect(string key, JsonValueKind kind, Func<JsonElement, bool> isSupported, string supportedText)
    {
        var v = Get(key);
        if (v is null) return;
        if (v.Value.ValueKind != kind && !(kind == JsonValueKind.True && v.Value.ValueKind == JsonValueKind.False))
            throw Error(key, $"unexpected value {v.Value}");
        if (!isSupported(v.Value)) throw Error(key, $"value {v.Value} is not supported ({supportedText})");
    }

    public long[] LongArray(string key, long[]? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        if (v.Value.ValueKind != JsonValueKind.Array) throw Error(key, $"expected a list, found {v.Value}");
        return v.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n)
            ? n : throw Error(key, $"expected integers, found {e}")).ToArray();
    }

    public double[] DoubleArray(string key, double[]? fallback = null)
    {
        var v = Get(key);
        if (v is null) return fallback ?? throw Error(key, "missing");
        if (v.Value.ValueKind != JsonValueKind.Array) throw Error(key, $"expected a list, found {v.Value}");
        return v.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number
            ? e.GetDouble() : throw Error(key, $"expected numbers, found {e}")).ToArray();
    }

    /// <summary>A nested object as its own reader (e.g. the vocoder's "bwe" section).</summary>
    public ConfigReader Section(string key) => new(Required(key), $"{Component}.{key}");

    public JsonElement Raw(string key) => Required(key);
}
