namespace LtxLocal.Torch.NN;

public sealed class ReLU : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Relu();
}
