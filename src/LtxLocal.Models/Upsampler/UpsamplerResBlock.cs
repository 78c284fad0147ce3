using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Upsampler;

/// <summary>
/// conv → GroupNorm(32) → SiLU → conv → GroupNorm(32), then SiLU(x + input) — the activation comes after the residual
/// add (ltx_core/model/upsampler/res_block.py).
/// </summary>
public sealed class UpsamplerResBlock : Module, IUnaryModule
{
    public UpsamplerResBlock(long channels, int dims, ModuleOptions? options = null)
    {
        Conv1 = RegisterModule("conv1", LatentUpsampler.Conv(dims, channels, channels, options));
        Norm1 = RegisterModule("norm1", new GroupNorm(32, channels, 1e-5, true, options));
        Conv2 = RegisterModule("conv2", LatentUpsampler.Conv(dims, channels, channels, options));
        Norm2 = RegisterModule("norm2", new GroupNorm(32, channels, 1e-5, true, options));
    }

    private ConvNd Conv1 { get; }
    private GroupNorm Norm1 { get; }
    private ConvNd Conv2 { get; }
    private GroupNorm Norm2 { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = Norm1.Forward(Conv1.Forward(x)).Silu();
        h = Norm2.Forward(Conv2.Forward(h));
        return scope.MoveToOuter((h + x).Silu());
    }
}
