using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// FeedForward (feed_forward.py): <c>net.0.proj</c> Linear(dim, 4·dim) -> GELU(tanh) -> <c>net.2</c> Linear(4·dim, dim).
/// The transformer blocks and the text connector blocks share it, as the reference does.
/// </summary>
public sealed class FeedForward : Module, IUnaryModule
{
    private readonly Linear _projectIn;
    private readonly Linear _projectOut;

    public FeedForward(long dim, bool bias, ModuleOptions linearOptions)
    {
        _projectIn = new Linear(dim, 4 * dim, bias, linearOptions);
        _projectOut = new Linear(4 * dim, dim, bias, linearOptions);
        RegisterModule("net", new Net(_projectIn, _projectOut));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var hidden = _projectIn.Forward(x).Gelu_(tanhApproximation: true); // [B, T, 4·dim]
        return scope.MoveToOuter(_projectOut.Forward(hidden));
    }

    // The reference's Sequential(GELUApprox, Identity, Linear): index 0 holds "proj", index 2 the output Linear.
    private sealed class Net : Module
    {
        public Net(Linear projectIn, Linear projectOut)
        {
            RegisterModule("0", new GeluApprox(projectIn));
            RegisterModule("2", projectOut);
        }
    }

    private sealed class GeluApprox : Module
    {
        public GeluApprox(Linear proj) => RegisterModule("proj", proj);
    }
}
