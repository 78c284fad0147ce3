using System.Text.Json;
using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The cells of a grid (every combination of the axes' values, the first axis varying slowest) and the reference cell:
/// the one <c>reference_cell</c> names, else the cell with the most steps, then the highest guidance_scale.
/// </summary>
public static class SweepGrid
{
    public static IReadOnlyList<JsonObject> Cells(IReadOnlyList<SweepAxis> axes)
    {
        IEnumerable<JsonObject> cells = [new JsonObject()];
        foreach (var axis in axes)
            cells = cells.SelectMany(cell => axis.Values.Select(value =>
            {
                var next = (JsonObject)cell.DeepClone();
                next[axis.Name] = value.DeepClone();
                return next;
            })).ToList();
        return [.. cells];
    }

    /// <summary>The index of the one cell whose values match every axis <paramref name="given"/> names.</summary>
    /// <exception cref="ApiException">400: not an object, a name that is not an axis, or no cell (or more than one) matches</exception>
    public static int Named(JsonElement given, IReadOnlyList<SweepAxis> axes, IReadOnlyList<JsonObject> cells)
    {
        if (given.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("'reference_cell' must be an object of axis values, e.g. {\"steps\": 40}");
        var names = axes.Select(a => a.Name).ToList();
        var wanted = new List<(string Name, JsonNode? Value)>();
        foreach (var property in given.EnumerateObject())
        {
            if (KnownFields.Problem(property.Name, names, "reference_cell.") is { } problem)
                throw ApiException.BadRequest($"{problem}; reference_cell names values of the sweep's axes ({string.Join(", ", names)})");
            wanted.Add((property.Name, JsonNode.Parse(property.Value.GetRawText())));
        }
        var matches = Enumerable.Range(0, cells.Count).Where(i => wanted.All(w => SweepAxes.Same(cells[i][w.Name], w.Value))).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw ApiException.BadRequest($"'reference_cell' {given.GetRawText()} matches no cell of the grid"),
            _ => throw ApiException.BadRequest($"'reference_cell' {given.GetRawText()} matches {matches.Count} cells; name a value for each axis it leaves open"),
        };
    }

    /// <summary>The default reference: most steps, then highest guidance_scale (as resolved: a pipeline without them counts 0), then the first such cell.</summary>
    public static int Default(IReadOnlyList<ParametersDto> parameters) =>
        Enumerable.Range(0, parameters.Count)
            .OrderByDescending(i => parameters[i].Steps ?? 0)
            .ThenByDescending(i => parameters[i].GuidanceScale ?? 0)
            .ThenBy(i => i)
            .First();
}
