using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// What a <see cref="GemmaDecoderLayer"/> needs from its attention (Gemma 3's or Gemma 4's): one call over the
/// normed residual stream with the layer kind's RoPE tables and mask.
/// </summary>
public abstract class GemmaSelfAttention : Module
{
    /// <param name="x">[B, T, hidden]</param>
    /// <param name="cos">[T, head_dim] of this layer kind</param>
    /// <param name="mask">what each query may see: additive [B, 1, T, Tk] and row has-any-key [B, 1, T, 1]</param>
    /// <param name="cache">keys/values of earlier positions (generation); null for one full pass</param>
    public abstract Tensor Forward(Tensor x, Tensor cos, Tensor sin, GemmaAttentionMask mask, GemmaKvCache? cache = null, int layer = 0);
}
