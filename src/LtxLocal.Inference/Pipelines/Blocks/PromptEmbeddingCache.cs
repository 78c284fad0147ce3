using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// Encoded prompts kept in host memory, so a repeated prompt (a sweep over settings, a retry, the usual negative prompt)
/// neither loads nor runs the text encoder: least recently used first out once the entries' bytes pass the capacity.
/// Shared by every model and worker of a process (keys name the encoder, <see cref="PromptCacheKey"/>). The contexts are
/// kept as the encoder returned them, copied to the CPU bit for bit, and a hit hands out a fresh copy on the compute
/// device, so a cached run sees the same bytes as an uncached one. Capacity 0 keeps nothing and still counts the
/// encoder's runs.
/// </summary>
public sealed class PromptEmbeddingCache(long capacityBytes) : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<PromptCacheKey, LinkedListNode<Entry>> _entries = new();
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private long _bytes, _hits, _encoderRuns;

    public long CapacityBytes { get; } = capacityBytes >= 0 ? capacityBytes : throw new ArgumentOutOfRangeException(nameof(capacityBytes), "must be 0 or more");

    /// <summary>Bytes the cached contexts occupy in host memory.</summary>
    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>Prompts answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Prompts the text encoder ran for (a miss, or every prompt when the cache is off).</summary>
    public long EncoderRuns => Interlocked.Read(ref _encoderRuns);

    /// <summary>The contexts cached under <paramref name="key"/>, copied onto <paramref name="device"/> as <paramref name="dtype"/>; null on a miss.</summary>
    public PromptContext? TryGet(PromptCacheKey key, Device device, DType dtype)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node)) return null;
            _recency.Remove(node);
            _recency.AddFirst(node);
            Interlocked.Increment(ref _hits);
            entry = node.Value;
            entry.Readers++;
        }
        // The copy runs outside the lock (several workers may hit at once, each onto its own GPU); the entry is held
        // by its reader count, so an eviction meanwhile leaves its tensors to the last reader to free.
        try
        {
            // A copy even when nothing changes: the run disposes its contexts, the cache keeps its own.
            return new PromptContext(entry.Context.Video.To(device, dtype, copy: true), entry.Context.Audio?.To(device, dtype, copy: true));
        }
        finally
        {
            lock (_lock)
                if (--entry.Readers == 0 && entry.Evicted) Free(entry);
        }
    }

    /// <summary>Counts one run of the text encoder (the caller is about to encode).</summary>
    public void EncoderRan() => Interlocked.Increment(ref _encoderRuns);

    /// <summary>
    /// Keeps a host copy of <paramref name="context"/> (the caller keeps its own) under <paramref name="key"/>, evicting
    /// the least recently used entries until it fits; a context larger than the whole capacity is not kept.
    /// </summary>
    public void Add(PromptCacheKey key, PromptContext context)
    {
        long bytes = TensorBytes.Of(context.Video, context.Audio);
        if (bytes > CapacityBytes) return;
        var copy = new PromptContext(HostCopy(context.Video), context.Audio is null ? null : HostCopy(context.Audio));
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing)) Remove(existing);
            while (_bytes + bytes > CapacityBytes && _recency.Last is { } oldest) Remove(oldest);
            _entries[key] = _recency.AddFirst(new Entry(key, copy, bytes));
            _bytes += bytes;
        }
    }

    public void Dispose()
    {
        lock (_lock)
            while (_recency.Last is { } oldest) Remove(oldest);
    }

    // Out of every dispose scope: the entry outlives the job that encoded it.
    private static Tensor HostCopy(Tensor tensor) => tensor.To(Device.Cpu, tensor.DType, copy: true).DetachFromScope();

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
        node.Value.Evicted = true;
        if (node.Value.Readers == 0) Free(node.Value);
    }

    private static void Free(Entry entry)
    {
        entry.Context.Video.Dispose();
        entry.Context.Audio?.Dispose();
    }

    /// <summary>A cached context; <see cref="Readers"/> and <see cref="Evicted"/> change only under the cache's lock.</summary>
    private sealed class Entry(PromptCacheKey key, PromptContext context, long bytes)
    {
        public PromptCacheKey Key { get; } = key;
        public PromptContext Context { get; } = context;
        public long Bytes { get; } = bytes;
        public int Readers { get; set; }
        public bool Evicted { get; set; }
    }
}
