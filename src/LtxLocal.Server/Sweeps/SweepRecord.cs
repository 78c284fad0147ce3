namespace LtxLocal.Server.Sweeps;

/// <summary>One row of the sweeps table: the grid as submitted (<see cref="StoredSweep"/> JSON) and whether it was cancelled.</summary>
public sealed record SweepRecord(string Id, string SpecJson, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt);
