using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The shared stage-5 modulation (transformer/layers.py AdaLNZero): proj(SiLU(t_emb)) split into 7 chunks
/// (scale_msa, shift_msa, gate_msa, scale_mlp, shift_mlp, gate_mlp, gate_ctx), each [B, 1, 1, 1, dim].
/// </summary>
public sealed class AdaLnZero : Module
{
    public const int Chunks = 7;

    public AdaLnZero(long dim, long timestepEmbedDim, ModuleOptions options) =>
        Proj = RegisterModule("proj", new Linear(timestepEmbedDim, Chunks * dim, true, options));

    private Linear Proj { get; }

    public Tensor[] Forward(Tensor timestepEmbedding)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = Proj.Forward(timestepEmbedding.Silu());
        long dim = h.Shape[1] / Chunks;
        return h.Chunk(Chunks, -1).Select(c => scope.MoveToOuter(c.Reshape(h.Shape[0], 1, 1, 1, dim))).ToArray();
    }
}
