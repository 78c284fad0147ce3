using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>A deterministic-stage block (transformer/blocks.py NABlock): x += NA(RMSNorm(x)); x += SwiGLU(RMSNorm(x)).</summary>
public sealed class NaBlock : Module
{
    public NaBlock(long dim, Thw kernel, int headDim, ModuleOptions options)
    {
        Norm1 = RegisterModule("norm1", new RMSNorm(dim, 1e-6, true, options));
        Attn = RegisterModule("attn", new NeighborhoodAttention3D(dim, kernel, headDim, options));
        Norm2 = RegisterModule("norm2", new RMSNorm(dim, 1e-6, true, options));
        Mlp = RegisterModule("mlp", new SwiGlu(dim, options));
    }

    private RMSNorm Norm1 { get; }
    private NeighborhoodAttention3D Attn { get; }
    private RMSNorm Norm2 { get; }
    private SwiGlu Mlp { get; }

    /// <summary>x [B, T, H, W, C] channels-last.</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        x = x + Attn.Forward(Norm1.Forward(x));
        return scope.MoveToOuter(x + Mlp.Forward(Norm2.Forward(x)));
    }
}
