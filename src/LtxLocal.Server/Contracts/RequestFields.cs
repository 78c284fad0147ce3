using System.Globalization;
using System.Text.Json;
using LtxLocal.Server.Hosting;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// Typed, validated access to the fields of a request, whether it came as JSON or as multipart
/// form fields (where everything is text). A value of the wrong type is a 400 naming the field;
/// an absent or null field is null.
/// </summary>
public abstract class RequestFields
{
    public abstract bool Has(string name);
    /// <summary>Every field name the body carries (nulls included), to refuse the ones the endpoint does not know.</summary>
    public abstract IEnumerable<string> Names { get; }
    public abstract string? String(string name);
    protected abstract double? RawNumber(string name);
    protected abstract bool? RawBoolean(string name);
    /// <summary>frame_images: a JSON array (a JSON string in multipart).</summary>
    public abstract JsonElement? Array(string name);

    public double? Number(string name, double min = double.MinValue, double max = double.MaxValue)
    {
        var value = RawNumber(name);
        if (value is { } v && (double.IsNaN(v) || double.IsInfinity(v) || v < min || v > max))
            throw ApiException.BadRequest($"'{name}' must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }

    public long? Integer(string name, long min, long max)
    {
        var value = RawNumber(name);
        if (value is null) return null;
        if (value % 1 != 0 || value < min || value > max)
            throw ApiException.BadRequest($"'{name}' must be an integer from {min} to {max}");
        return (long)value.Value;
    }

    /// <summary>A whole number (its range is the resolver's to check).</summary>
    public long? Integer(string name)
    {
        var value = RawNumber(name);
        if (value is null) return null;
        if (double.IsNaN(value.Value) || value % 1 != 0 || value < long.MinValue || value > long.MaxValue)
            throw ApiException.BadRequest($"'{name}' must be a whole number");
        return (long)value.Value;
    }

    public bool? Boolean(string name) => RawBoolean(name);

    protected static ApiException WrongType(string name, string expected) => ApiException.BadRequest($"'{name}' must be {expected}");
}

/// <summary>Fields of a JSON object body.</summary>
public sealed class JsonFields : RequestFields
{
    private readonly JsonElement _root;

    public JsonFields(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("the body must be a JSON object");
        _root = root;
    }

    private JsonElement? Get(string name) =>
        _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public override bool Has(string name) => Get(name) is not null;

    public override IEnumerable<string> Names => _root.EnumerateObject().Select(p => p.Name);

    public override string? String(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw WrongType(name, "a string"),
    };

    protected override double? RawNumber(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) => d,
        _ => throw WrongType(name, "a number"),
    };

    protected override bool? RawBoolean(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw WrongType(name, "true or false"),
    };

    public override JsonElement? Array(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } v => v,
        _ => throw WrongType(name, "an array"),
    };
}

/// <summary>Fields of a multipart/form-data body: text parsed the way JSON would have typed it.</summary>
public sealed class FormFields(IFormCollection form) : RequestFields
{
    private string? Get(string name)
    {
        if (!form.TryGetValue(name, out var values) || values.Count == 0) return null;
        if (values.Count > 1) throw ApiException.BadRequest($"'{name}' is given more than once");
        return values[0];
    }

    public override bool Has(string name) => Get(name) is not null;

    public override IEnumerable<string> Names => form.Keys;

    public override string? String(string name) => Get(name);

    protected override double? RawNumber(string name) => Get(name) switch
    {
        null => null,
        var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw WrongType(name, "a number"),
    };

    protected override bool? RawBoolean(string name) => Get(name)?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw WrongType(name, "true or false"),
    };

    public override JsonElement? Array(string name)
    {
        var text = Get(name);
        if (text is null) return null;
        try
        {
            var element = JsonDocument.Parse(text).RootElement;
            return element.ValueKind == JsonValueKind.Array ? element : throw WrongType(name, "a JSON array");
        }
        catch (JsonException)
        {
            throw WrongType(name, "a JSON array");
        }
    }
}
