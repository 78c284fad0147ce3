namespace LtxLocal.Server.Jobs;

/// <summary>
/// A lease on a running job: the node that holds it and until when. A lease that is not renewed
/// before <see cref="Until"/> lets any node's rescuer put the job back in the queue.
/// </summary>
public sealed record LeaseTerms(string Owner, DateTimeOffset Now, DateTimeOffset Until);
