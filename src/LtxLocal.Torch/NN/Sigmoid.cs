namespace LtxLocal.Torch.NN;

public sealed class Sigmoid : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Sigmoid();
}
