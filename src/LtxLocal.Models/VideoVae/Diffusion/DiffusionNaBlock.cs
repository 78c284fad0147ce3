using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// A stage-5 block (transformer/blocks.py DiffusionNABlock and its chunked / combined pathways): inject the context,
/// x += context_proj(context); x += NA(RMSNorm(x)·(1 + scale_msa) + shift_msa); x += SwiGLU(RMSNorm(x)·(1 + scale_mlp) + shift_mlp),
/// scales and shifts = the shared AdaLN chunks + this block's <c>scale_shift_table</c> rows (gate rows unused: released static
/// gates are folded into the weights at load). The attention runs inside W-slabs (CHUNKED) or over the whole volume (COMBINED).
/// </summary>
public sealed class DiffusionNaBlock : Module
{
    public DiffusionNaBlock(long dim, Thw kernel, long contextChannels, int headDim, ModuleOptions options)
    {
        ContextProj = RegisterModule("context_proj", new Linear(contextChannels, dim, true, options));
        ScaleShiftTable = AddParameter("scale_shift_table", NewTensor(new[] { AdaLnZero.Chunks, dim }, options));
        Norm1 = RegisterModule("norm1", new RMSNorm(dim, 1e-6, true, options));
        Attn = RegisterModule("attn", new NeighborhoodAttention3D(dim, kernel, headDim, options));
        Norm2 = RegisterModule("norm2", new RMSNorm(dim, 1e-6, true, options));
        Mlp = RegisterModule("mlp", new SwiGlu(dim, options));
    }

    private Linear ContextProj { get; }
    private TensorSlot ScaleShiftTable { get; }
    private RMSNorm Norm1 { get; }
    private NeighborhoodAttention3D Attn { get; }
    private RMSNorm Norm2 { get; }
    private SwiGlu Mlp { get; }

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
        var y = Norm1.Forward(x) * (scaleMsa + 1.0) + shiftMsa;
        x = x + (wChunks > 0 ? WSlabAttention.Forward(Attn, y, wChunks) : Attn.Forward(y));
        x = x + Mlp.Forward(Norm2.Forward(x) * (scaleMlp + 1.0) + shiftMlp);
        return scope.MoveToOuter(x);
    }
}
