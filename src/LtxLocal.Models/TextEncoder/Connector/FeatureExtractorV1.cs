using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// LTX-2 (19B) FeatureExtractorV1: per sample and layer, masked mean and (max - min) range over the valid tokens and
/// all channels, <c>8 (x - mean) / (range + 1e-6)</c>, pads zeroed, flattened (index d*L + l), <c>aggregate_embed</c>
/// (no bias). The same features feed video and audio.
/// </summary>
public sealed class FeatureExtractorV1 : Module, IFeatureExtractor
{
    private readonly Linear _aggregate;
    private readonly bool _audio;

    public FeatureExtractorV1(int gemmaHidden, int gemmaStates, bool audio, ModuleOptions? options = null)
    {
        _audio = audio;
        _aggregate = RegisterModule("aggregate_embed", new Linear((long)gemmaHidden * gemmaStates, gemmaHidden, bias: false, options));
    }

    public (Tensor Video, Tensor? Audio) Forward(Tensor hiddenStates, Tensor attentionMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = hiddenStates.Size(0), t = hiddenStates.Size(1), d = hiddenStates.Size(2), l = hiddenStates.Size(3);
        var valid = attentionMask.Ne(0).View(b, t, 1, 1);
        var pad = valid.LogicalNot();
        var denominator = attentionMask.Sum(-1).Mul(d).View(b, 1, 1, 1);
        var mean = hiddenStates.MaskedFill(pad, 0).Sum([1, 2], keepDim: true) / (denominator + 1e-6);   // [B, 1, 1, L]
        var min = hiddenStates.MaskedFill(pad, double.PositiveInfinity).Amin([1, 2], keepDim: true);
        var max = hiddenStates.MaskedFill(pad, double.NegativeInfinity).Amax([1, 2], keepDim: true);
        var normed = (hiddenStates - mean).Mul_(8.0).Div_(max - min + 1e-6).Reshape(b, t, d * l);      // [B, T, D*L]
        normed = normed.MaskedFill_(pad.View(b, t, 1), 0);
        var features = _aggregate.Forward(normed.To(hiddenStates.DType)).MoveToOuterScope();
        return (features, _audio ? features : null);
    }
}
