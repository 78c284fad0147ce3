namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.GELU; approximate "tanh" when <paramref name="tanhApproximation"/>.</summary>
public sealed class GELU(bool tanhApproximation = false) : Module, IUnaryModule
{
    public bool TanhApproximation { get; } = tanhApproximation;

    public Tensor Forward(Tensor input) => input.Gelu(TanhApproximation);
}
