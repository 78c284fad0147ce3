using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>A deterministic-stage block (transformer/blocks.py NABlock): x += NA(RMSNorm(x)); x += SwiGLU(RMSNorm(x)).</summary>
public sealed class NaBlock(long dim, Thw kernel, int headDim, ModuleOptions options) : NeighborhoodBlock(dim, kernel, headDim, options)
{
    /// <summary>x [B, T, H, W, C] channels-last.</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(AttendAndFeed(x, null, null, wChunks: 0));
    }
}
