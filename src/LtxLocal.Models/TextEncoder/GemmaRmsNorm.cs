using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder;

/// <summary>
/// Gemma's RMSNorm: <c>x * rsqrt(mean(x^2) + eps) * (1 + w)</c> in float32, cast back after the gain
/// (HF Gemma3RMSNorm; the stored weight is centred on 0).
/// </summary>
public sealed class GemmaRmsNorm : Module, IUnaryModule
{
    private readonly double _eps;

    public GemmaRmsNorm(long dim, double eps, ModuleOptions options)
    {
        _eps = eps;
        RegisterParameter("weight", NewTensor([dim], options));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var normed = F.RmsNorm(x.To(DType.Float32), null, _eps);
        var gain = Parameter("weight").To(DType.Float32) + 1.0;
        return (normed * gain).To(x.DType).MoveToOuterScope();
    }
}
