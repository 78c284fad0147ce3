namespace LtxLocal.Models.Transformer;

/// <summary>
/// The shape of one <see cref="Attention"/> (attention.py's constructor arguments): query width, heads × head width,
/// key/value width (the query's when null: self-attention), the q/k RMS-norm epsilon, the RoPE layout and whether a
/// per-head gate is applied. The text connector builds its attention from the same record.
/// </summary>
public sealed record AttentionConfig(long QueryDim, long Heads, long HeadDim, double NormEps, RopeType RopeType, bool Gated,
    long? ContextDim = null)
{
    public long InnerDim => Heads * HeadDim;
}
