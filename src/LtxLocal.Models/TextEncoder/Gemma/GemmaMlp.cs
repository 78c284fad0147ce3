using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>Gemma's gated MLP: <c>down(gelu_tanh(gate(x)) * up(x))</c>, no biases.</summary>
public sealed class GemmaMlp : Module, IUnaryModule
{
    private readonly Linear _gate, _up, _down;

    public GemmaMlp(long hidden, long intermediate, ModuleOptions options)
    {
        _gate = RegisterModule("gate_proj", new Linear(hidden, intermediate, bias: false, options));
        _up = RegisterModule("up_proj", new Linear(hidden, intermediate, bias: false, options));
        _down = RegisterModule("down_proj", new Linear(intermediate, hidden, bias: false, options));
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var gated = _gate.Forward(x).Gelu_(tanhApproximation: true).Mul_(_up.Forward(x)); // [B, T, intermediate]
        return _down.Forward(gated).MoveToOuterScope();
    }
}
