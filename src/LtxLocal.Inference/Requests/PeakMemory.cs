namespace LtxLocal.Inference.Requests;

/// <summary>
/// The most device memory one generation held: the memory ledger's peak (the bytes the pipeline's blocks account for,
/// on any device) and, on CUDA, the caching allocator's peak of allocated bytes since the job started (everything
/// libtorch allocated, workspaces included); null where the device has no allocator statistics (the CPU).
/// </summary>
public sealed record PeakMemory(long LedgerBytes, long? AllocatorBytes);
