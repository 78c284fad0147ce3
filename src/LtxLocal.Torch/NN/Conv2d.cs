namespace LtxLocal.Torch.NN;

public sealed class Conv2d : ConvNd
{
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : this(inChannels, outChannels, Repeat(kernelSize, 2), Repeat(stride, 2), Repeat(padding, 2), Repeat(dilation, 2), groups, bias,
            paddingMode, options) { }

    public Conv2d(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : base(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, options) { }
}
