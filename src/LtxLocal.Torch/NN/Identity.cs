namespace LtxLocal.Torch.NN;

/// <summary>Returns its input (a new handle to it, so callers may dispose results uniformly).</summary>
public sealed class Identity : Module, IUnaryModule
{
    public Tensor Forward(Tensor input) => input.Alias();
}
