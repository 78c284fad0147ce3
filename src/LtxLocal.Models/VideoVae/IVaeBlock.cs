using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>A block of the VAE's encoder or decoder chain.</summary>
public interface IVaeBlock
{
    /// <param name="scaledTimestep">The decoder's timestep × multiplier [B] (timestep-conditioned decoders only).</param>
    Tensor Forward(Tensor x, bool causal, Tensor? scaledTimestep);
}
