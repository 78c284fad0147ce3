namespace LtxLocal.Models.Transformer;

/// <summary>RoPE layouts: SPLIT (every release) and the legacy INTERLEAVED one.</summary>
public enum RopeType
{
    Split,
    Interleaved,
}
