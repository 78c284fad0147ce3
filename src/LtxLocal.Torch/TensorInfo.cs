namespace LtxLocal.Torch;

/// <summary>Where a named tensor lives before it is loaded: its dtype and shape, known without reading data.</summary>
public sealed record TensorInfo(string Name, DType DType, long[] Shape)
{
    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteLength => Numel * DType.ElementSize();

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
