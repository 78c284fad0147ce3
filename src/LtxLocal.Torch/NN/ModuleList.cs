namespace LtxLocal.Torch.NN;

/// <summary>Children named "0", "1", ... (torch.nn.ModuleList), e.g. <c>transformer_blocks</c>.</summary>
public class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> _items = new();

    public ModuleList(IEnumerable<T>? items = null)
    {
        foreach (var item in items ?? Enumerable.Empty<T>()) Add(item);
    }

    public void Add(T module)
    {
        RegisterModule(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
    }

    public T this[int index] => _items[index];

    public int Count => _items.Count;

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
