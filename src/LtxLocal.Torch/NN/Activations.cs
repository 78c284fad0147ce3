namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.SiLU.</summary>
public sealed class SiLU : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>torch.nn.GELU; approximate "tanh" when <paramref name="tanhApproximation"/>.</summary>
public sealed class GELU(bool tanhApproximation = false) : Module, IUnaryModule
{
    public bool TanhApproximation { get; } = tanhApproximation;

    public Tensor Forward(Tensor input) => input.Gelu(TanhApproximation);
}

public sealed class ReLU : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Relu();
}

public sealed class Tanh : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Tanh();
}

public sealed class Sigmoid : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Sigmoid();
}

public sealed class LeakyReLU(double negativeSlope = 0.01) : Module, IUnaryModule
{
    public double NegativeSlope { get; } = negativeSlope;

    public Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

/// <summary>Returns its input (a new handle to it, so callers may dispose results uniformly).</summary>
public sealed class Identity : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Alias();
}
