using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder;

/// <summary>The connector's feed-forward (ltx_core FeedForward): <c>net.0.proj</c> + GELU(tanh), identity, <c>net.2</c>; width 4x.</summary>
public sealed class ConnectorFeedForward : Module, IUnaryModule
{
    private readonly Sequential _net;

    public ConnectorFeedForward(long dim, bool bias, ModuleOptions options)
    {
        long inner = dim * 4;
        _net = RegisterModule("net", new Sequential(new GeluProjection(dim, inner, bias, options), new Identity(),
            new Linear(inner, dim, bias, options)));
    }

    public Tensor Forward(Tensor x) => _net.Forward(x);

    /// <summary>Linear then tanh-approximated GELU (ltx_core GELUApprox).</summary>
    private sealed class GeluProjection : Module, IUnaryModule
    {
        private readonly Linear _proj;

        public GeluProjection(long dimIn, long dimOut, bool bias, ModuleOptions options) =>
            _proj = RegisterModule("proj", new Linear(dimIn, dimOut, bias, options));

        public Tensor Forward(Tensor x)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            return _proj.Forward(x).Gelu_(tanhApproximation: true).MoveToOuterScope();
        }
    }
}
