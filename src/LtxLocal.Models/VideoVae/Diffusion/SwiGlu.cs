using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>Gated MLP without biases (transformer/swiglu.py): w_down(silu(w_gate x) · w_up x), hidden = 4·dim rounded up to 16.</summary>
public sealed class SwiGlu : Module
{
    public SwiGlu(long dim, ModuleOptions options)
    {
        long hidden = (dim * 4 + 15) / 16 * 16;
        Up = RegisterModule("w_up", new Linear(dim, hidden, false, options));
        Gate = RegisterModule("w_gate", new Linear(dim, hidden, false, options));
        Down = RegisterModule("w_down", new Linear(hidden, dim, false, options));
    }

    private Linear Up { get; }
    private Linear Gate { get; }
    private Linear Down { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(Down.Forward(Gate.Forward(x).Silu_() * Up.Forward(x)));
    }
}
