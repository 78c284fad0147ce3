using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// A decoder mask in HF's semantics: key k is visible to query q iff k &lt;= q, the key is not padding, and for
/// sliding layers k &gt; q - window (absolute indices, pads count inside the window). Additive [B, 1, T, Tk]
/// with a large finite negative (never -inf, so fully masked rows stay finite) plus the rows that see any key.
/// </summary>
public sealed class GemmaAttentionMask : IDisposable
{
    private GemmaAttentionMask(Tensor additive, Tensor rowHasKey)
    {
        Additive = additive;
        RowHasKey = rowHasKey;
    }

    public Tensor Additive { get; }
    public Tensor RowHasKey { get; }

    /// <param name="keyMask">[B, Tk] 1 = real token (past and current positions)</param>
    /// <param name="queryStart">absolute position of the first query (the cache length)</param>
    /// <param name="window">sliding window, or null for a full (causal) layer</param>
    public static GemmaAttentionMask Create(Tensor keyMask, long queryStart, long queryCount, long? window, DType dtype)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = keyMask.Device;
        long keyCount = keyMask.Size(1);
        var queryPos = Tensor.Arange(queryStart, queryStart + queryCount, 1, DType.Int64, device).Unsqueeze(1); // [T, 1]
        var keyPos = Tensor.Arange(keyCount, DType.Int64, device).Unsqueeze(0);                                  // [1, Tk]
        var allowed = keyPos.Le(queryPos);
        if (window is long w) allowed = allowed & keyPos.Gt(queryPos - w);
        allowed = allowed.Unsqueeze(0).Unsqueeze(0) & keyMask.Ne(0).Unsqueeze(1).Unsqueeze(1);                  // [B, 1, T, Tk]
        var additive = Tensor.Zeros(allowed.Shape, dtype, device).MaskedFill_(allowed.LogicalNot(), LargeNegative(dtype));
        var rowHasKey = allowed.Any(-1, keepDim: true).To(dtype);                                                 // [B, 1, T, 1]
        return new GemmaAttentionMask(additive.DetachFromScope(), rowHasKey.DetachFromScope());
    }

    /// <summary>The most negative finite value of <paramref name="dtype"/> (HF's finfo.min), so exp underflows to 0.</summary>
    public static double LargeNegative(DType dtype) => dtype switch
    {
        DType.Float16 => -65504.0,
        DType.BFloat16 => -3.3895313892515355e38,
        DType.Float64 => double.MinValue,
        _ => float.MinValue,
    };

    public void Dispose()
    {
        Additive.Dispose();
        RowHasKey.Dispose();
    }
}
