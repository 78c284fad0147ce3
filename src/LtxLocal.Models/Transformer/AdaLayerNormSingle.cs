using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// AdaLN-single (adaln.py): timestep -> embedded timestep (<c>emb.timestep_embedder</c>) and the modulation
/// <c>linear(SiLU(embedded))</c> with <c>coefficient</c> rows of width dim.
/// </summary>
public sealed class AdaLayerNormSingle : Module
{
    private readonly CombinedTimestepEmbedding _embedder;
    private readonly Linear _linear;

    public AdaLayerNormSingle(long dim, int coefficient, ModuleOptions options)
    {
        Coefficient = coefficient;
        _embedder = RegisterModule("emb", new CombinedTimestepEmbedding(dim, options));
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
}
