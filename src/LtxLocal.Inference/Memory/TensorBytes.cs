namespace LtxLocal.Inference.Memory;

/// <summary>Bytes the given tensors occupy (element count times element size), for the ledger.</summary>
public static class TensorBytes
{
    public static long Of(params Tensor?[] tensors) => tensors.Where(t => t is not null).Sum(t => t!.Numel * t.ElementSize);
}
