using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// Separate q/k/v linears (transformer/qkv.py); released files store them fused as <c>qkv.weight</c> [3·dim, dim], which
/// <see cref="DiffusionDecoderTensorSource"/> splits in the order q, k, v.
/// </summary>
public sealed class QkvProjections : Module
{
    public QkvProjections(long dim, ModuleOptions options)
    {
        Q = RegisterModule("to_q", new Linear(dim, dim, true, options));
        K = RegisterModule("to_k", new Linear(dim, dim, true, options));
        V = RegisterModule("to_v", new Linear(dim, dim, true, options));
    }

    public Linear Q { get; }

    public Linear K { get; }

    public Linear V { get; }
}
