namespace LtxLocal.Server.Contracts;

/// <summary>
/// GET /v1/jobs: one page of job status bodies, newest first; <c>next_cursor</c> continues after the last of them
/// (null on the last page).
/// </summary>
public sealed record JobListResponse(IReadOnlyList<JobStatusResponse> Data, string? NextCursor);
