using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// 3x3x3 convolution without temporal padding of its own (ltx_core/model/video_vae/convolution.py): causal mode
/// repeats the first frame k-1 times in front; non-causal mode repeats the first frame (k-1)/2 times in front and
/// the last frame (k-1)/2 times behind. H/W are padded by k/2 with the spatial padding mode. Weights under <c>conv.</c>.
/// </summary>
public sealed class CausalConv3d : Module, IVaeBlock
{
    public CausalConv3d(long inChannels, long outChannels, long kernelSize = 3, long[]? stride = null,
        ConvPaddingMode spatialPadding = ConvPaddingMode.Zeros, ModuleOptions? options = null)
    {
        TimeKernel = kernelSize;
        var pad = kernelSize / 2;
        Conv = RegisterModule("conv", new ConvNd(inChannels, outChannels, new[] { kernelSize, kernelSize, kernelSize },
            stride ?? new long[] { 1, 1, 1 }, new long[] { 0, pad, pad }, new long[] { 1, 1, 1 }, 1, true, spatialPadding, options));
    }

    public long TimeKernel { get; }

    public ConvNd Conv { get; }

    public Tensor Forward(Tensor x, bool causal = true)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long frames = x.Size(2);
        var first = x.Narrow(2, 0, 1);
        Tensor padded = causal
            ? Tensor.Cat(new[] { first.Repeat(1, 1, TimeKernel - 1, 1, 1), x }, 2)
            : Tensor.Cat(new[]
            {
                first.Repeat(1, 1, (TimeKernel - 1) / 2, 1, 1), x,
                x.Narrow(2, frames - 1, 1).Repeat(1, 1, (TimeKernel - 1) / 2, 1, 1),
            }, 2);
        return scope.MoveToOuter(Conv.Forward(padded));
    }

    Tensor IVaeBlock.Forward(Tensor x, bool causal, Tensor? scaledTimestep) => Forward(x, causal);
}
