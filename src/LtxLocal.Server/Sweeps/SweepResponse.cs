using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>The body of POST (202) and GET /v1/sweeps/{id}: the sweep's state, its grid, the table of cells, what each number means, links.</summary>
public sealed record SweepResponse(
    string Id, string Object, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt, string Kind, int CellCount,
    JsonObject Axes, int ReferenceCell, bool ReferenceGiven, IReadOnlyList<SweepCellView> Cells,
    IReadOnlyDictionary<string, string> Legend, SweepLinks Links);
