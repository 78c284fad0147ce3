namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.Conv2d: a <see cref="ConvNd"/> over 2 spatial axes with one size, stride, padding and dilation for all.</summary>
public sealed class Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
    long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
    : ConvNd(2, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, paddingMode, options);
