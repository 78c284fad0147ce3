using LtxLocal.Torch.NN;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>Bytes of the parameters and buffers the given networks hold, as loaded (dtype and all): what the ledger places.</summary>
public static class WeightBytes
{
    public static long Of(params object?[] networks) =>
        networks.OfType<Module>().Sum(m => m.StateDict().Values.Sum(t => t.Numel * t.ElementSize));
}
