namespace LtxLocal.Torch;

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
