namespace LtxLocal.Torch.NN;

/// <summary>y = x·Wᵀ + b (torch.nn.Linear): <c>weight</c> [out, in], <c>bias</c> [out].</summary>
/// <remarks>A float8 weight (fp8-cast storage) is upcast to the input's dtype for each call.</remarks>
public sealed class Linear : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public Linear(long inFeatures, long outFeatures, bool bias = true, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = AddParameter("weight", NewTensor(new[] { outFeatures, inFeatures }, o));
        _bias = AddParameter("bias", bias ? NewTensor(new[] { outFeatures }, o) : null);
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Tensor Weight => _weight.Value;

    public Tensor? Bias => _bias.Optional;

    public Tensor Forward(Tensor input)
    {
        var weight = Weight;
        return weight.DType.IsFloat8()
            ? F.ScaledLinear(input, weight, null, Bias, input.DType)
            : F.Linear(input, weight, Bias);
    }
}
