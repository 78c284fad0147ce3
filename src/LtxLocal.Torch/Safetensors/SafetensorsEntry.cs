namespace LtxLocal.Torch.Safetensors;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the data section.</summary>
public sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End)
{
    public TensorInfo Info => new(Name, DType, Shape);
}
