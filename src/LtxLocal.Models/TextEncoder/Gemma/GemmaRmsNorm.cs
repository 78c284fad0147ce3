using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// Gemma's RMSNorm: <c>x * rsqrt(mean(x^2) + eps) * gain</c> in float32, cast back after the gain
/// (HF Gemma3RMSNorm with gain 1 + w; Gemma4UnifiedRMSNorm with gain w, or none when <c>with_scale</c> is off).
/// </summary>
public sealed class GemmaRmsNorm : Module, IUnaryModule
{
    private readonly double _eps;
    private readonly GemmaNormGain _gain;
    private readonly TensorSlot? _weight;

    public GemmaRmsNorm(long dim, double eps, ModuleOptions options, GemmaNormGain gain = GemmaNormGain.OnePlusWeight)
    {
        _eps = eps;
        _gain = gain;
        if (gain != GemmaNormGain.None) _weight = AddParameter("weight", NewTensor([dim], options));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var normed = F.RmsNorm(x.To(DType.Float32), null, _eps);
        if (_gain == GemmaNormGain.OnePlusWeight) normed = normed * (_weight!.Value.To(DType.Float32) + 1.0);
        else if (_gain == GemmaNormGain.Weight) normed = normed * _weight!.Value.To(DType.Float32);
        return normed.To(x.DType).MoveToOuterScope();
    }
}
