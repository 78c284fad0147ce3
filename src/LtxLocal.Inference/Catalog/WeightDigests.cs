using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// SHA-256 of weight files for the reproducibility manifest, each computed once per (path, size, write time): a catalog
/// re-scan, a second job or a second caller gets the same task, and only a file that changed is read again. Hashing
/// runs in the background, one file at a time (a multi-GB checkpoint reads at disk speed; two at once would only
/// compete for the disk), so <see cref="Prefetch"/> never blocks its caller; <see cref="GetAsync"/> waits for the result.
/// </summary>
public sealed class WeightDigests
{
    private readonly ConcurrentDictionary<string, Entry> _known = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _disk = new(1, 1);
    private int _computed;

    private sealed record Entry(long Size, long WriteTicks, Lazy<Task<string>> Hash);

    /// <summary>How many times a file was actually read and hashed (a cached answer does not count).</summary>
    public int Computed => Volatile.Read(ref _computed);

    /// <summary>Starts hashing the files not hashed yet (or changed since); returns at once.</summary>
    public void Prefetch(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            try { _ = EntryFor(path).Hash.Value; }
            catch (IOException) { /* gone between listing and stat: GetAsync reports it if a job needs it */ }
        }
    }

    /// <summary>The file's SHA-256 as lowercase hex; waits while it is being computed.</summary>
    public Task<string> GetAsync(string path, CancellationToken token) => EntryFor(path).Hash.Value.WaitAsync(token);

    private Entry EntryFor(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists) throw new FileNotFoundException($"weight file {full} does not exist", full);
        var (size, ticks) = (info.Length, info.LastWriteTimeUtc.Ticks);
        return _known.AddOrUpdate(full,
            _ => New(full, size, ticks),
            // A failed read (an I/O error) is retried on the next ask rather than remembered.
            (_, old) => old.Size == size && old.WriteTicks == ticks && !old.Hash.Value.IsFaulted ? old : New(full, size, ticks));
    }

    private Entry New(string path, long size, long ticks) =>
        new(size, ticks, new Lazy<Task<string>>(() => Task.Run(() => HashAsync(path)), LazyThreadSafetyMode.ExecutionAndPublication));

    private async Task<string> HashAsync(string path)
    {
        await _disk.WaitAsync();
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
            var hash = await SHA256.HashDataAsync(file);
            Interlocked.Increment(ref _computed);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            _disk.Release();
        }
    }
}
