namespace LtxLocal.Torch.NN;

public sealed class Conv1d : ConvNd
{
    public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true, ConvPaddingMode paddingMode = ConvPaddingMode.Zeros, ModuleOptions? options = null)
        : base(inChannels, outChannels, new[] { kernelSize }, new[] { stride }, new[] { padding }, new[] { dilation }, groups, bias,
            paddingMode, options) { }
}
