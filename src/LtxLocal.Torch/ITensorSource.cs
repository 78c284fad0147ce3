namespace LtxLocal.Torch;

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
