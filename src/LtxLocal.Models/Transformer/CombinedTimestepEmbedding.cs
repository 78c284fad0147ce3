using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// PixArt-α combined timestep embedding without the size terms (timestep_embedding.py
/// PixArtAlphaCombinedTimestepSizeEmbeddings): one level that holds the <see cref="TimestepEmbedding"/> as
/// <c>timestep_embedder</c>. The transformer's AdaLN (<c>emb</c>) and the video VAE's time embedders
/// (<c>time_embedder</c>, <c>last_time_embedder</c>, <c>t_embedder</c>) are all this module, as in the reference.
/// </summary>
public sealed class CombinedTimestepEmbedding : Module
{
    private readonly TimestepEmbedding _embedder;

    public CombinedTimestepEmbedding(long embeddingDim, ModuleOptions? options = null) =>
        _embedder = RegisterModule("timestep_embedder", new TimestepEmbedding(embeddingDim, options ?? ModuleOptions.Default));

    /// <summary>[N] timesteps → [N, embeddingDim]; the sinusoid is cast to <paramref name="dtype"/> before the MLP.</summary>
    public Tensor Forward(Tensor timesteps, DType dtype) => _embedder.Forward(timesteps, dtype);

    /// <summary>[N] timesteps → [N, embeddingDim], the sinusoid cast to the weights' dtype.</summary>
    public Tensor Forward(Tensor timesteps) => _embedder.Forward(timesteps, _embedder.WeightDType);
}
