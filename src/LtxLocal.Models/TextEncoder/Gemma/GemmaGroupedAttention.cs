using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The part of Gemma 3 and Gemma 4 attention after q/k/v are formed: extend the KV cache, repeat the kv heads over
/// their query groups, masked softmax(q k^T * scale) v, and zero the query rows that may see no key (left padding),
/// as torch's sdpa does, so they stay finite.
/// </summary>
public static class GemmaGroupedAttention
{
    /// <param name="queries">[B, H, T, hd] after norm and RoPE</param>
    /// <param name="keys">[B, KV, T, hd] after norm and RoPE</param>
    /// <param name="values">[B, KV, T, hd]</param>
    /// <returns>the heads merged back [B, T, H * hd], ready for o_proj</returns>
    public static Tensor Attend(Tensor queries, Tensor keys, Tensor values, GemmaAttentionMask mask, double scale,
        GemmaKvCache? cache, int layer)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = queries.Size(0), heads = queries.Size(1), t = queries.Size(2), headDim = queries.Size(3);
        if (cache is not null) (keys, values) = cache.Append(layer, keys, values);                  // [B, KV, Tk, hd]
        long groups = heads / keys.Size(1);
        if (groups > 1)
        {
            keys = keys.RepeatInterleave(groups, 1);                                                   // [B, H, Tk, hd]
            values = values.RepeatInterleave(groups, 1);
        }
        var attended = F.ScaledDotProductAttention(queries, keys, values, mask.Additive, scale: scale); // [B, H, T, hd]
        attended = attended.Mul_(mask.RowHasKey);
        return attended.Transpose(1, 2).Reshape(b, t, heads * headDim).MoveToOuterScope();
    }
}
