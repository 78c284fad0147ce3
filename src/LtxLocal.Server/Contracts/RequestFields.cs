using System.Globalization;
using System.Text.Json;

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
    /// <summary>safety: a JSON object (a JSON string in multipart).</summary>
    public abstract JsonElement? Object(string name);

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
