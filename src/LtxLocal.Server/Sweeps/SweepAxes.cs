using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The <c>axes</c> object of a sweep: which request fields may vary, the JSON type each value must have (its range is the
/// generation endpoint's to check, cell by cell), and the grid's size limit.
/// </summary>
public static class SweepAxes
{
    public const int MaxCells = 64;

    public static readonly IReadOnlyList<string> Names = ["steps", "guidance_scale", "pipeline", "seed", "stg_scale"];

    /// <exception cref="ApiException">400: not an object, no axis, an unknown axis, an empty list, a value of the wrong type, a value twice, more than <see cref="MaxCells"/> cells</exception>
    public static IReadOnlyList<SweepAxis> Read(JsonElement axes)
    {
        if (axes.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("'axes' must be an object of lists, e.g. {\"steps\": [10, 20], \"guidance_scale\": [2, 4]}");
        var list = new List<SweepAxis>();
        foreach (var property in axes.EnumerateObject())
        {
            if (KnownFields.Problem(property.Name, Names, "axes.") is { } problem)
                throw ApiException.BadRequest($"{problem}; the axes a sweep can vary are {string.Join(", ", Names)}");
            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
                throw ApiException.BadRequest($"'axes.{property.Name}' must be a non-empty list of values");
            var values = new List<JsonNode>();
            foreach (var item in property.Value.EnumerateArray())
            {
                var value = Value(property.Name, item, $"axes.{property.Name}[{values.Count}]");
                if (values.Any(v => Same(v, value))) throw ApiException.BadRequest($"'axes.{property.Name}' lists {value.ToJsonString()} twice");
                values.Add(value);
            }
            list.Add(new SweepAxis(property.Name, values));
        }
        if (list.Count == 0) throw ApiException.BadRequest($"'axes' names no axis; give at least one of {string.Join(", ", Names)}");
        long cells = 1;
        foreach (var axis in list) cells *= axis.Values.Count; // each list is at most the body's length, so this cannot overflow past 64 lists
        if (cells > MaxCells)
            throw ApiException.BadRequest(
                $"the grid has {cells} cells ({string.Join(" × ", list.Select(a => $"{a.Values.Count} {a.Name}"))}); a sweep runs at most {MaxCells}");
        return list;
    }

    /// <summary>Whether two axis values are the same value (numbers compared as numbers).</summary>
    public static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (JsonValue x, JsonValue y) when x.TryGetValue<double>(out var dx) && y.TryGetValue<double>(out var dy) => dx == dy,
        (JsonValue x, JsonValue y) when x.TryGetValue<string>(out var sx) && y.TryGetValue<string>(out var sy) => sx == sy,
        _ => false,
    };

    /// <summary>The value as text for labels and CSV: numbers in invariant culture, strings as they are.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        null => "",
        _ => value.ToJsonString(),
    };

    // Values are kept as parsed JSON (not CLR primitives) so they compare and convert the same before and after storage.
    /// <summary>A value of the JSON type its field takes: whole numbers for steps and seed, numbers for the scales, text for pipeline.</summary>
    private static JsonNode Value(string axis, JsonElement item, string at)
    {
        switch (axis)
        {
            case "pipeline":
                if (item.ValueKind != JsonValueKind.String) throw ApiException.BadRequest($"'{at}' must be a pipeline name (a string)");
                return JsonNode.Parse(item.GetRawText())!;
            case "steps" or "seed":
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var whole))
                    throw ApiException.BadRequest($"'{at}' must be a whole number");
                return JsonNode.Parse(whole.ToString(CultureInfo.InvariantCulture))!;
            default:
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw ApiException.BadRequest($"'{at}' must be a number");
                return JsonNode.Parse(item.GetRawText())!;
        }
    }
}
