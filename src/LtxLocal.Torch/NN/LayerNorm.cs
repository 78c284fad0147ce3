namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.LayerNorm over the trailing <paramref name="shape"/>; optional affine weight and bias.</summary>
public sealed class LayerNorm : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public LayerNorm(long[] shape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        (NormalizedShape, Eps) = (shape, eps);
        _weight = AddParameter("weight", elementwiseAffine ? NewTensor(shape, o) : null);
        _bias = AddParameter("bias", elementwiseAffine && bias ? NewTensor(shape, o) : null);
    }

    public LayerNorm(long dim, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, ModuleOptions? options = null)
        : this(new[] { dim }, eps, elementwiseAffine, bias, options) { }

    public long[] NormalizedShape { get; }

    public double Eps { get; }

    public Tensor Forward(Tensor input) =>
        F.LayerNorm(input, NormalizedShape, _weight.Optional, _bias.Optional, Eps);
}
