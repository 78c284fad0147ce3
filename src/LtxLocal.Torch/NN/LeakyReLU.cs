namespace LtxLocal.Torch.NN;

public sealed class LeakyReLU(double negativeSlope = 0.01) : Module, IUnaryModule
{
    public double NegativeSlope { get; } = negativeSlope;

    public Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}
