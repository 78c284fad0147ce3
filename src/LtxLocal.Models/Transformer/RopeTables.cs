using LtxLocal.Torch;

namespace LtxLocal.Models.Transformer;

/// <summary>cos and sin tables of one RoPE application: SPLIT [B, heads, T, head_dim/2], INTERLEAVED [B, T, dim].</summary>
public sealed record RopeTables(Tensor Cos, Tensor Sin) : IDisposable
{
    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
    }
}
