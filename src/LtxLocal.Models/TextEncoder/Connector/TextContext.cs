using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>The text contexts the transformer takes: video [B, T, Dv], audio [B, T, Da] (or none) and the mask [B, T].</summary>
public sealed record TextContext(Tensor Video, Tensor? Audio, Tensor Mask) : IDisposable
{
    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
        Mask.Dispose();
    }
}
