using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// Snake x + 1/(α + 1e-9)·sin²(αx) or SnakeBeta x + 1/(β + 1e-9)·sin²(αx), α and β stored as logarithms
/// (<c>alpha</c>, <c>beta</c> per channel).
/// </summary>
public sealed class Snake : Module, IUnaryModule
{
    private readonly TensorSlot _alpha;
    private readonly TensorSlot? _beta;

    public Snake(long channels, bool withBeta, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        _alpha = AddParameter("alpha", NewTensor(new[] { channels }, o));
        if (withBeta) _beta = AddParameter("beta", NewTensor(new[] { channels }, o));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var alpha = _alpha.Value.To(x.DType).Reshape(1, -1, 1).Exp();
        var beta = _beta is not null ? _beta.Value.To(x.DType).Reshape(1, -1, 1).Exp() : alpha;
        return scope.MoveToOuter(x + (1.0 / (beta + 1e-9)) * (x * alpha).Sin().Square());
    }
}
