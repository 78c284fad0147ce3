using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// LTX-2.3 / 2.5 FeatureExtractorV2: per-token RMS norm per layer (eps 1e-6, no weight), pads zeroed, flattened,
/// then <c>video_aggregate_embed(x * sqrt(Dv / D))</c> and <c>audio_aggregate_embed(x * sqrt(Da / D))</c> (with bias).
/// </summary>
public sealed class FeatureExtractorV2 : Module, IFeatureExtractor
{
    private readonly Linear _video;
    private readonly Linear? _audio;
    private readonly int _gemmaHidden;

    public FeatureExtractorV2(int gemmaHidden, int gemmaStates, int videoDim, int? audioDim, ModuleOptions? options = null)
    {
        _gemmaHidden = gemmaHidden;
        long inFeatures = (long)gemmaHidden * gemmaStates;
        _video = RegisterModule("video_aggregate_embed", new Linear(inFeatures, videoDim, bias: true, options));
        if (audioDim is int a) _audio = RegisterModule("audio_aggregate_embed", new Linear(inFeatures, a, bias: true, options));
    }

    public (Tensor Video, Tensor? Audio) Forward(Tensor hiddenStates, Tensor attentionMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = hiddenStates.Size(0), t = hiddenStates.Size(1), d = hiddenStates.Size(2), l = hiddenStates.Size(3);
        var variance = hiddenStates.Square().Mean(2, keepDim: true);                                    // [B, T, 1, L]
        var normed = (hiddenStates * (variance + 1e-6).Rsqrt()).Reshape(b, t, d * l);
        normed = normed.MaskedFill_(attentionMask.Eq(0).View(b, t, 1), 0).To(hiddenStates.DType);
        var video = _video.Forward(normed * Math.Sqrt((double)_video.OutFeatures / _gemmaHidden)).MoveToOuterScope();
        var audio = _audio?.Forward(normed * Math.Sqrt((double)_audio.OutFeatures / _gemmaHidden)).MoveToOuterScope();
        return (video, audio);
    }
}
