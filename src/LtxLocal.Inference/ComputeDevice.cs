namespace LtxLocal.Inference;

/// <summary>A device a worker owns: "cuda:0", "cuda:1", or "cpu".</summary>
public sealed record ComputeDevice(string Name)
{
    public bool IsCuda => Name.StartsWith("cuda", StringComparison.Ordinal);

    /// <summary>The CUDA ordinal, or -1 for the CPU.</summary>
    public int Index => IsCuda && Name.Length > 5 && int.TryParse(Name.AsSpan(5), out var i) ? i : IsCuda ? 0 : -1;

    public override string ToString() => Name;
}
