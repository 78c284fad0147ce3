using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The keys and values of every layer for the tokens seen so far (generation), each [B, kv_heads, T, head_dim].
/// Grows by concatenation; disposing it frees the tensors.
/// </summary>
public sealed class GemmaKvCache : IDisposable
{
    private readonly (Tensor Keys, Tensor Values)?[] _layers;

    public GemmaKvCache(int layers) => _layers = new (Tensor, Tensor)?[layers];

    /// <summary>How many positions the cache holds.</summary>
    public long Length => _layers[0]?.Keys.Size(2) ?? 0;

    /// <summary>Appends this step's keys/values for <paramref name="layer"/> and returns all of them (owned by the cache).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (_layers[layer] is { } past)
        {
            keys = Tensor.Cat([past.Keys, keys], 2);
            values = Tensor.Cat([past.Values, values], 2);
            past.Keys.Dispose();
            past.Values.Dispose();
        }
        else
        {
            keys = keys.Alias();
            values = values.Alias();
        }
        var entry = (keys.DetachFromScope(), values.DetachFromScope());
        _layers[layer] = entry;
        return entry;
    }

    public void Dispose()
    {
        foreach (var entry in _layers)
        {
            entry?.Keys.Dispose();
            entry?.Values.Dispose();
        }
        Array.Clear(_layers);
    }
}
