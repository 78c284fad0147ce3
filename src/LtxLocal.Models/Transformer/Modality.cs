using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// One stream's input to <see cref="LtxModel.Forward"/> (modality.py): patchified latent [B, T, C], the per-sample
/// sigma [B] (prompt AdaLN and the other stream's A/V gate), the per-token timesteps [B, T, 1] = sigma·denoise mask
/// (AdaLN and x0), positions [B, axes, T, 2] as [start, end) (video: seconds, pixels, pixels; audio: seconds), the
/// text context [B, S, ·] with an optional int mask [B, S] (1 keep), an optional self-attention mask [B, T, T] in
/// [0, 1], and the keyframe marker [B, T, 1] (2.5).
/// </summary>
public sealed record Modality(Tensor Latent, Tensor Sigma, Tensor Timesteps, Tensor Positions, Tensor Context)
{
    public bool Enabled { get; init; } = true;

    public Tensor? ContextMask { get; init; }

    public Tensor? AttentionMask { get; init; }

    public Tensor? KeyframesMask { get; init; }
}
