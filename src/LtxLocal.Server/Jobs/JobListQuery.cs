namespace LtxLocal.Server.Jobs;

/// <summary>
/// What GET /v1/jobs asks the store for: the statuses to keep (empty: all), the position to continue after (null: the
/// newest job), the page size and the time that decides which jobs have expired.
/// </summary>
public sealed record JobListQuery(IReadOnlyCollection<string> Statuses, JobCursor? After, int Limit, DateTimeOffset Now);
