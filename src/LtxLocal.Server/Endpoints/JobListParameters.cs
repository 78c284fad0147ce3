using System.Globalization;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// The query of GET /v1/jobs turned into a <see cref="JobListQuery"/>: <c>status</c> (repeated, or comma-separated; any of
/// queued, processing, completed, failed, cancelled), <c>limit</c> (1–100, default 20) and <c>cursor</c> (a
/// <c>next_cursor</c> this server returned). Anything else in them is a 400 saying what would be accepted.
/// </summary>
public static class JobListParameters
{
    public const int DefaultLimit = 20, MaxLimit = 100;

    public static readonly IReadOnlyList<string> Statuses =
        [JobStatus.Queued, JobStatus.Processing, JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];

    public static JobListQuery Parse(string[]? status, string? limit, string? cursor, DateTimeOffset now)
    {
        var statuses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in (status ?? []).SelectMany(s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!Statuses.Contains(name))
                throw ApiException.BadRequest($"unknown status '{name}'; use one or several of {string.Join(", ", Statuses)} (repeat status=, or separate with commas)");
            statuses.Add(name);
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
            throw ApiException.BadRequest($"limit must be a whole number from 1 to {MaxLimit} (default {DefaultLimit}); got '{limit}'");
        JobCursor? after = null;
        if (cursor is not null && !JobCursor.TryParse(cursor, out after))
            throw ApiException.BadRequest("cursor is not one this server returned: pass a previous page's next_cursor unchanged, or leave it out for the first page");
        return new JobListQuery(statuses, after, size, now);
    }
}
