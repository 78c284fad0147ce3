namespace LtxLocal.Torch.NN;

public sealed class Tanh : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Tanh();
}
