namespace LtxLocal.Torch.NN;

/// <summary>
/// Transposed convolution (torch.nn.ConvTranspose1d/2d/3d): <c>weight</c> [in, out/groups, k...], <c>bias</c> [out].
/// </summary>
public sealed class ConvTranspose : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public ConvTranspose(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding,
        long[] outputPadding, long[] dilation, long groups = 1, bool bias = true, ModuleOptions? options = null)
    {
        int n = kernelSize.Length;
        if (stride.Length != n || padding.Length != n || outputPadding.Length != n || dilation.Length != n)
            throw new ArgumentException("kernel size, stride, padding, output padding and dilation need one entry per spatial dim");
        var o = options ?? ModuleOptions.Default;
        (KernelSize, Stride, Padding, OutputPadding, Dilation, Groups) = (kernelSize, stride, padding, outputPadding, dilation, groups);
        _weight = AddParameter("weight", NewTensor(new[] { inChannels, outChannels / groups }.Concat(kernelSize).ToArray(), o));
        _bias = AddParameter("bias", bias ? NewTensor(new[] { outChannels }, o) : null);
    }

    /// <summary>Same kernel, stride and padding on every one of <paramref name="spatialDims"/> dims.</summary>
    public static ConvTranspose Create(int spatialDims, long inChannels, long outChannels, long kernelSize, long stride = 1,
        long padding = 0, long outputPadding = 0, long groups = 1, bool bias = true, ModuleOptions? options = null) =>
        new(inChannels, outChannels, ConvNd.Repeat(kernelSize, spatialDims), ConvNd.Repeat(stride, spatialDims),
            ConvNd.Repeat(padding, spatialDims), ConvNd.Repeat(outputPadding, spatialDims), ConvNd.Repeat(1, spatialDims), groups, bias, options);

    public long[] KernelSize { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] OutputPadding { get; }
    public long[] Dilation { get; }
    public long Groups { get; }

    public Tensor Weight => _weight.Value;

    public Tensor? Bias => _bias.Optional;

    public Tensor Forward(Tensor input) =>
        F.Convolution(input, Weight, Bias, Stride, Padding, Dilation, OutputPadding, true, Groups);
}
