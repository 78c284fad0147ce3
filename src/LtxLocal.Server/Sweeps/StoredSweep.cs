using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// What a sweep row keeps (<see cref="SweepRecord.SpecJson"/>): the endpoint it runs, the axes as given, the cells in grid
/// order with their jobs, and which cell the others are measured against (and whether the client chose it).
/// </summary>
public sealed record StoredSweep(string Kind, JsonObject Axes, IReadOnlyList<StoredSweepCell> Cells, int ReferenceCell, bool ReferenceGiven);
