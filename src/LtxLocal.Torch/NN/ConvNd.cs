namespace LtxLocal.Torch.NN;

/// <summary>
/// Convolution over 1, 2 or 3 spatial dims (torch.nn.Conv1d/2d/3d): <c>weight</c> [out, in/groups, k...],
/// <c>bias</c> [out]. Non-zero padding modes pad explicitly first, as PyTorch does.
/// </summary>
public class ConvNd : Module, IUnaryModule
{
    private readonly TensorSlot _weight, _bias;

    public ConvNd(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
    {
        int n = kernelSize.Length;
        if (stride.Length != n || padding.Length != n || dilation.Length != n)
            throw new ArgumentException("kernel size, stride, padding and dilation need one entry per spatial dim");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"channels ({inChannels} in, {outChannels} out) must be divisible by groups ({groups})");
        var o = options ?? ModuleOptions.Default;
        (KernelSize, Stride, Padding, Dilation, Groups, PaddingMode) = (kernelSize, stride, padding, dilation, groups, paddingMode);
        _weight = AddParameter("weight", NewTensor(new[] { outChannels, inChannels / groups }.Concat(kernelSize).ToArray(), o));
        _bias = AddParameter("bias", bias ? NewTensor(new[] { outChannels }, o) : null);
    }

    /// <summary>The same size, stride, padding and dilation on each of <paramref name="spatialDims"/> axes (torch's int arguments).</summary>
    public ConvNd(int spatialDims, long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : this(inChannels, outChannels, Repeat(kernelSize, spatialDims), Repeat(stride, spatialDims), Repeat(padding, spatialDims),
            Repeat(dilation, spatialDims), groups, bias, paddingMode, options) { }

    public long[] KernelSize { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] Dilation { get; }
    public long Groups { get; }
    public ConvPaddingMode PaddingMode { get; }

    public Tensor Weight => _weight.Value;

    public Tensor? Bias => _bias.Optional;

    public virtual Tensor Forward(Tensor input)
    {
        int n = KernelSize.Length;
        if (PaddingMode == ConvPaddingMode.Zeros)
            return F.Convolution(input, Weight, Bias, Stride, Padding, Dilation, new long[n], false, Groups);
        // F.Pad takes the last dim first, both sides.
        var pad = new long[2 * n];
        for (int i = 0; i < n; i++) pad[2 * i] = pad[2 * i + 1] = Padding[n - 1 - i];
        var mode = PaddingMode switch
        {
            ConvPaddingMode.Reflect => PadMode.Reflect,
            ConvPaddingMode.Replicate => PadMode.Replicate,
            _ => PadMode.Circular,
        };
        using var padded = F.Pad(input, pad, mode);
        return F.Convolution(padded, Weight, Bias, Stride, new long[n], Dilation, new long[n], false, Groups);
    }

    internal static long[] Repeat(long value, int n) => Enumerable.Repeat(value, n).ToArray();
}
