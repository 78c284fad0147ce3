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

/// <summary>torch.nn.GroupNorm over [B, C, ...]; optional per-channel affine.</summary>
public sealed class GroupNorm : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public GroupNorm(long groups, long channels, double eps = 1e-5, bool affine = true, ModuleOptions? options = null)
    {
        if (channels % groups != 0) throw new ArgumentException($"{channels} channels do not split into {groups} groups");
        var o = options ?? ModuleOptions.Default;
        (Groups, Eps) = (groups, eps);
        _weight = AddParameter("weight", affine ? NewTensor(new[] { channels }, o) : null);
        _bias = AddParameter("bias", affine ? NewTensor(new[] { channels }, o) : null);
    }

    public long Groups { get; }

    public double Eps { get; }

    public Tensor Forward(Tensor input) => F.GroupNorm(input, Groups, _weight.Optional, _bias.Optional, Eps);
}

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
