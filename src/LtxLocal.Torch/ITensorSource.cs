namespace LtxLocal.Torch;

/// <summary>Where a named tensor lives before it is loaded: its dtype and shape, known without reading data.</summary>
public sealed record TensorInfo(string Name, DType DType, long[] Shape)
{
    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteLength => Numel * DType.ElementSize();

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// A set of named tensors that can be loaded one at a time (a safetensors file, a sharded checkpoint, a
/// dictionary), so a model fills its parameters without ever holding a second copy of all weights.
/// </summary>
public interface ITensorSource
{
    IReadOnlyCollection<string> Keys { get; }

    bool Contains(string name);

    TensorInfo Info(string name);

    /// <summary>Loads one tensor onto <paramref name="device"/> as <paramref name="dtype"/> (its stored dtype when null).</summary>
    Tensor Load(string name, Device device, DType? dtype = null);
}

/// <summary>An in-memory <see cref="ITensorSource"/>; loads return converted copies or aliases of the given tensors.</summary>
public sealed class DictionaryTensorSource : ITensorSource
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    public DictionaryTensorSource(IReadOnlyDictionary<string, Tensor> tensors) => _tensors = tensors;

    public IReadOnlyCollection<string> Keys => _tensors.Keys.ToList();

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public TensorInfo Info(string name) => new(name, _tensors[name].DType, _tensors[name].Shape);

    public Tensor Load(string name, Device device, DType? dtype = null)
    {
        var t = _tensors[name];
        return t.To(device, dtype ?? t.DType);
    }
}
