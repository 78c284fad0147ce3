namespace LtxLocal.Server.Jobs;

/// <summary>One row of the jobs table. Spec, adjustments, progress and result are JSON text (see Contracts).</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public required string Status { get; init; }
    public required string Model { get; init; }
    public required string SpecJson { get; init; }
    public string? AdjustmentsJson { get; init; }
    public string? ProgressJson { get; init; }
    public string? ResultJson { get; init; }
    public string? ErrorType { get; init; }
    public string? ErrorMessage { get; init; }
    public int Attempts { get; init; }
    public string? Worker { get; init; }
    public string? OutputPath { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The node (<see cref="ClusterNode.Id"/>) whose lease this processing job holds, and until when.</summary>
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}

public static class JobStatus
{
    public const string Queued = "queued", Processing = "processing", Completed = "completed", Failed = "failed", Cancelled = "cancelled";
}

/// <summary>How a job ended, written in one conditional update so a cancelled job is never overwritten.</summary>
public sealed record JobEnd(string Status, DateTimeOffset At, DateTimeOffset ExpiresAt, string? ResultJson = null,
    string? OutputPath = null, string? ErrorType = null, string? ErrorMessage = null);

public sealed record QueueCounts(int Queued, int Processing);
