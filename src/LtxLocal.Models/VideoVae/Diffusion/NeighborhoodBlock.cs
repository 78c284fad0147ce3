using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The residual pair both diffusion-decoder blocks are made of (transformer/blocks.py NABlock, DiffusionNABlock):
/// <c>x += NA(m1(RMSNorm(x)))</c>, <c>x += SwiGLU(m2(RMSNorm(x)))</c>, where m1/m2 are the identity (deterministic
/// stages) or the AdaLN modulation (stage 5), and NA runs over the whole volume or inside W-slabs.
/// </summary>
public abstract class NeighborhoodBlock : Module
{
    private readonly RMSNorm _norm1, _norm2;
    private readonly NeighborhoodAttention3D _attn;
    private readonly SwiGlu _mlp;

    protected NeighborhoodBlock(long dim, Thw kernel, int headDim, ModuleOptions options)
    {
        _norm1 = RegisterModule("norm1", new RMSNorm(dim, 1e-6, true, options));
        _attn = RegisterModule("attn", new NeighborhoodAttention3D(dim, kernel, headDim, options));
        _norm2 = RegisterModule("norm2", new RMSNorm(dim, 1e-6, true, options));
        _mlp = RegisterModule("mlp", new SwiGlu(dim, options));
    }

    /// <param name="x">[B, T, H, W, C] channels-last, in the caller's scope</param>
    /// <param name="wChunks">W-slabs for the attention, 0 for the whole volume</param>
    protected Tensor AttendAndFeed(Tensor x, Func<Tensor, Tensor>? modulateAttention, Func<Tensor, Tensor>? modulateMlp, int wChunks)
    {
        var y = _norm1.Forward(x);
        if (modulateAttention is not null) y = modulateAttention(y);
        x = x + (wChunks > 0 ? WSlabAttention.Forward(_attn, y, wChunks) : _attn.Forward(y));
        var z = _norm2.Forward(x);
        if (modulateMlp is not null) z = modulateMlp(z);
        return x + _mlp.Forward(z);
    }
}
