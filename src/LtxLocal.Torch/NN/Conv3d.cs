namespace LtxLocal.Torch.NN;

public sealed class Conv3d : ConvNd
{
    public Conv3d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : this(inChannels, outChannels, Repeat(kernelSize, 3), Repeat(stride, 3), Repeat(padding, 3), Repeat(dilation, 3), groups, bias,
            paddingMode, options) { }

    public Conv3d(long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding, long[] dilation,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : base(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, options) { }
}
