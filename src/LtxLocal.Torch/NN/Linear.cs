namespace LtxLocal.Torch.NN;

/// <summary>y = x·Wᵀ + b (torch.nn.Linear): <c>weight</c> [out, in], <c>bias</c> [out].</summary>
/// <remarks>A float8 weight (fp8-cast storage) is upcast to the input's dtype for each call.</remarks>
public sealed class Linear : Module, IUnaryModule
{
    public Linear(long inFeatures, long outFeatures, bool bias = true, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterParameter("weight", NewTensor(new[] { outFeatures, inFeatures }, o));
        RegisterParameter("bias", bias ? NewTensor(new[] { outFeatures }, o) : null);
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Tensor Weight => Parameter("weight");

    public Tensor? Bias => OptionalParameter("bias");

    public Tensor Forward(Tensor input)
    {
        var weight = Weight;
        return weight.DType.IsFloat8()
            ? F.ScaledLinear(input, weight, null, Bias, input.DType)
            : F.Linear(input, weight, Bias);
    }
}
