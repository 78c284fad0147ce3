using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Per-location RMS norm over the channel axis: x / sqrt(mean_c(x²) + eps), no weights
/// (ltx_core/model/common/normalization.py). The video VAE uses eps 1e-8, the audio VAE 1e-6.
/// </summary>
public sealed class PixelNorm(double eps = 1e-8) : Module, IUnaryModule
{
    public double Eps { get; } = eps;

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var rms = (x.Square().Mean(1, keepDim: true) + Eps).Sqrt();
        return scope.MoveToOuter(x / rms);
    }
}
