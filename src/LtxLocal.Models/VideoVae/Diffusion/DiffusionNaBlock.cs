using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// A stage-5 block (transformer/blocks.py DiffusionNABlock and its chunked / combined pathways): inject the context,
/// x += context_proj(context); x += NA(RMSNorm(x)·(1 + scale_msa) + shift_msa); x += SwiGLU(RMSNorm(x)·(1 + scale_mlp) + shift_mlp),
/// scales and shifts = the shared AdaLN chunks + this block's <c>scale_shift_table</c> rows (gate rows unused: released static
/// gates are folded into the weights at load). The attention runs inside W-slabs (CHUNKED) or over the whole volume (COMBINED).
/// </summary>
public sealed class DiffusionNaBlock : NeighborhoodBlock
{
    public DiffusionNaBlock(long dim, Thw kernel, long contextChannels, int headDim, ModuleOptions options)
        : base(dim, kernel, headDim, options)
    {
        ContextProj = RegisterModule("context_proj", new Linear(contextChannels, dim, true, options));
        ScaleShiftTable = AddParameter("scale_shift_table", NewTensor(new[] { AdaLnZero.Chunks, dim }, options));
    }

    private Linear ContextProj { get; }
    private TensorSlot ScaleShiftTable { get; }

    /// <summary>
    /// x [B, T, H, W, C5], context [B, T, H, W, Cctx] (stage-4 output at stage-5 resolution), modulation the 7 shared chunks;
    /// <paramref name="wChunks"/> W-slabs for the chunked pathway, 0 for the combined one.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor context, Tensor[] modulation, int wChunks)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var table = ScaleShiftTable.Value;
        Tensor Row(int i) => modulation[i] + table.Select(0, i).Reshape(1, 1, 1, 1, -1);
        Tensor scaleMsa = Row(0), shiftMsa = Row(1), scaleMlp = Row(3), shiftMlp = Row(4);

        x = x + ContextProj.Forward(context);
        return scope.MoveToOuter(AttendAndFeed(x, y => y * (scaleMsa + 1.0) + shiftMsa, z => z * (scaleMlp + 1.0) + shiftMlp, wChunks));
    }
}
