using LtxLocal.Torch;

namespace LtxLocal.Models.Checkpoints;

/// <summary>
/// A view of a checkpoint that shows one component: the keys under <c>prefix</c> that <c>keep</c> accepts, with the
/// prefix stripped (the reference's SDOps key maps). Tensors are still read one at a time from the underlying file.
/// </summary>
public sealed class KeyMappedSource : ITensorSource
{
    private readonly ITensorSource _inner;
    private readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);

    public KeyMappedSource(ITensorSource inner, string prefix, Func<string, bool>? keep = null)
    {
        _inner = inner;
        foreach (var key in inner.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var name = key[prefix.Length..];
            if (keep is null || keep(name)) _map[name] = key;
        }
    }

    public IReadOnlyCollection<string> Keys => _map.Keys;

    public bool Contains(string name) => _map.ContainsKey(name);

    public TensorInfo Info(string name) => _inner.Info(_map[name]) with { Name = name };

    public Tensor Load(string name, Device device, DType? dtype = null) => _inner.Load(_map[name], device, dtype);

    /// <summary>Total bytes of the visible tensors.</summary>
    public long ByteLength => _map.Values.Sum(k => _inner.Info(k).ByteLength);
}
