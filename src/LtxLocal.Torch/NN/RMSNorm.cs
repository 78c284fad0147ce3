namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.RMSNorm over the last dim: x / sqrt(mean(x²) + eps) [* weight].</summary>
public sealed class RMSNorm : Module, IUnaryModule
{
    private readonly TensorSlot _weight;

    public RMSNorm(long dim, double eps = 1e-6, bool elementwiseAffine = true, ModuleOptions? options = null)
    {
        Eps = eps;
        _weight = AddParameter("weight", elementwiseAffine ? NewTensor(new[] { dim }, options ?? ModuleOptions.Default) : null);
    }

    public double Eps { get; }

    public Tensor Forward(Tensor input) => F.RmsNorm(input, _weight.Optional, Eps);
}
