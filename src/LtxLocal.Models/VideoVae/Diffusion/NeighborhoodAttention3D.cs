using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// Neighbourhood attention with absolute RoPE (transformer/attention.py NeighborhoodAttention3D): q, k, v projections,
/// per-head RMSNorm on q and k (eps 1e-6), q scaled by head_dim^-1/2, RoPE on q and k, a (kt, kh, kw) neighbourhood
/// window per query (<see cref="NeighborhoodWindows"/>), then <c>proj</c>. Channels-last in and out.
/// </summary>
public sealed class NeighborhoodAttention3D : Module
{
    public NeighborhoodAttention3D(long dim, Thw kernel, int headDim, ModuleOptions options)
    {
        Dim = dim;
        Kernel = kernel;
        HeadDim = headDim;
        Rope = new AbsoluteRope3D(headDim);
        Qkv = RegisterModule("qkv", new QkvProjections(dim, options));
        Proj = RegisterModule("proj", new Linear(dim, dim, true, options));
        QNorm = RegisterModule("q_norm", new RMSNorm(headDim, 1e-6, true, options));
        KNorm = RegisterModule("k_norm", new RMSNorm(headDim, 1e-6, true, options));
    }

    public long Dim { get; }

    public Thw Kernel { get; }

    public int HeadDim { get; }

    private AbsoluteRope3D Rope { get; }
    private QkvProjections Qkv { get; }
    private Linear Proj { get; }
    private RMSNorm QNorm { get; }
    private RMSNorm KNorm { get; }

    /// <summary>x [B, T, H, W, C] → proj(NA(x)) [B, T, H, W, C]; <paramref name="wPositions"/> [W] are the RoPE column positions.</summary>
    public Tensor Forward(Tensor x, Tensor wPositions)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = x.Shape;
        long[] heads = { s[0], s[1], s[2], s[3], Dim / HeadDim, HeadDim };
        var q = Rope.Apply(QNorm.Forward(Qkv.Q.Forward(x).Reshape(heads)) * Math.Pow(HeadDim, -0.5), wPositions);
        var k = Rope.Apply(KNorm.Forward(Qkv.K.Forward(x).Reshape(heads)), wPositions);
        var v = Qkv.V.Forward(x).Reshape(heads);
        var attended = NeighborhoodWindows.Attend(q, k, v, Kernel); // [B, T, H, W, C]
        return scope.MoveToOuter(Proj.Forward(attended));
    }

    /// <summary>Full-volume attention with column positions 0..W-1.</summary>
    public Tensor Forward(Tensor x)
    {
        using var positions = Tensor.Arange(0, x.Shape[3], 1, DType.Float32, x.Device);
        return Forward(x, positions);
    }
}
