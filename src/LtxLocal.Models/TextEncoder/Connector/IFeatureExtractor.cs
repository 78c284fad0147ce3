using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>Gemma hidden states [B, T, D, L] + mask [B, T] -> the video and audio features the connectors take.</summary>
public interface IFeatureExtractor
{
    (Tensor Video, Tensor? Audio) Forward(Tensor hiddenStates, Tensor attentionMask);
}
