using System.Globalization;
using System.Text.Json;

namespace LtxLocal.Server.Contracts;

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

    public override JsonElement? Array(string name) => Json(name, JsonValueKind.Array, "a JSON array");

    public override JsonElement? Object(string name) => Json(name, JsonValueKind.Object, "a JSON object");

    private JsonElement? Json(string name, JsonValueKind kind, string expected)
    {
        var text = Get(name);
        if (text is null) return null;
        try
        {
            var element = JsonDocument.Parse(text).RootElement;
            if (element.ValueKind != kind) throw WrongType(name, expected);
            JsonTextCheck.Check(element, name); // \ud800-style escapes inside the field's JSON, as in a JSON body
            return element;
        }
        catch (JsonException)
        {
            throw WrongType(name, expected);
        }
    }
}
