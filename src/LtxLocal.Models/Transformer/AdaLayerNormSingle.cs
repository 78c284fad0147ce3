using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// AdaLN-single (adaln.py): timestep -> embedded timestep (<c>emb.timestep_embedder</c>) and the modulation
/// <c>linear(SiLU(embedded))</c> with <c>coefficient</c> rows of width dim.
/// </summary>
public sealed class AdaLayerNormSingle : Module
{
    private readonly TimestepEmbedding _embedder;
    private readonly Linear _linear;

    public AdaLayerNormSingle(long dim, int coefficient, ModuleOptions options)
    {
        Coefficient = coefficient;
        var emb = RegisterModule("emb", new EmbeddingHolder());
        _embedder = emb.Add(new TimestepEmbedding(dim, options));
        _linear = RegisterModule("linear", new Linear(dim, coefficient * dim, true, options));
    }

    public int Coefficient { get; }

    /// <summary>[N] scaled timesteps -> (modulation [N, coef·dim], embedded timestep [N, dim]).</summary>
    public (Tensor Modulation, Tensor Embedded) Forward(Tensor timesteps, DType dtype)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var embedded = _embedder.Forward(timesteps, dtype);
        var modulation = _linear.Forward(embedded.Silu());
        return (scope.MoveToOuter(modulation), scope.MoveToOuter(embedded));
    }

    /// <summary>The checkpoint's <c>emb</c> level (PixArtAlphaCombinedTimestepSizeEmbeddings) holds only the embedder.</summary>
    private sealed class EmbeddingHolder : Module
    {
        public TimestepEmbedding Add(TimestepEmbedding embedder) => RegisterModule("timestep_embedder", embedder);
    }
}
