using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>One cell of a stored sweep: its place in the grid, its job, and the axis values that made it.</summary>
public sealed record StoredSweepCell(int Index, string JobId, JsonObject Values);
