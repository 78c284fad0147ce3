using System.Text.Json;

namespace LtxLocal.Server.Contracts;

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

    public override JsonElement? Object(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => v,
        _ => throw WrongType(name, "an object"),
    };
}
