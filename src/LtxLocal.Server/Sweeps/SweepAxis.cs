using System.Text.Json.Nodes;

namespace LtxLocal.Server.Sweeps;

/// <summary>One axis of a sweep's grid: a request field (<see cref="SweepAxes.Names"/>) and the values it takes, in the order given.</summary>
public sealed record SweepAxis(string Name, IReadOnlyList<JsonNode> Values);
