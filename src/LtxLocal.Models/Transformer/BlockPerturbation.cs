using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// A block's perturbation state for one stream: the self-attention keep mask [B, 1, 1] (null when none or all of the
/// batch is perturbed), whether every sample skips self-attention, the A/V cross-attention keep mask, and whether
/// every sample skips it.
/// </summary>
public readonly record struct BlockPerturbation(Tensor? SelfAttentionMask, bool SelfAttentionAllPerturbed, Tensor? CrossAttentionMask,
    bool CrossAttentionSkipAll)
{
    public static readonly BlockPerturbation None = new(null, false, null, false);
}
