namespace LtxLocal.Torch.NN;

/// <summary>
/// One registered parameter or buffer of a <see cref="Module"/>: the module keeps the slot in a typed field, and
/// state-dict loads and device/dtype moves put the new tensor into the same slot, so <c>Forward</c> reads
/// <see cref="Value"/> without looking the name up.
/// </summary>
public sealed class TensorSlot
{
    private readonly string _owner;

    internal TensorSlot(string owner, string name, Tensor? tensor)
    {
        _owner = owner;
        Name = name;
        Optional = tensor;
    }

    /// <summary>The name the slot was registered under (its last state-dict segment).</summary>
    public string Name { get; }

    /// <summary>The current tensor, or null for an absent optional one (bias=False).</summary>
    public Tensor? Optional { get; private set; }

    /// <summary>The current tensor; throws when the slot was registered empty.</summary>
    public Tensor Value => Optional ?? throw new InvalidOperationException($"{_owner} has no tensor '{Name}'");

    internal void Replace(Tensor tensor) => Optional = tensor;
}
