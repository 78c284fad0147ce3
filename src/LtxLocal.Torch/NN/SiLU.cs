namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.SiLU.</summary>
public sealed class SiLU : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Silu();
}
