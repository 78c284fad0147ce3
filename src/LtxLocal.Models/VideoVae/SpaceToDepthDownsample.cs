using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The encoder's <c>compress_*_res</c> block (ltx_core/model/video_vae/sampling.py): a causal conv to out/prod(stride)
/// channels followed by space-to-depth, plus a parameter-free skip that space-to-depths the input and averages groups
/// of in·prod(stride)/out consecutive channels. A temporal stride of 2 first prepends a copy of frame 0.
/// </summary>
public sealed class SpaceToDepthDownsample : Module, IVaeBlock
{
    public SpaceToDepthDownsample(long inChannels, long outChannels, long[] stride, ConvPaddingMode padding, ModuleOptions? options = null)
    {
        Stride = stride;
        long volume = stride[0] * stride[1] * stride[2];
        GroupSize = inChannels * volume / outChannels;
        Conv = RegisterModule("conv", new CausalConv3d(inChannels, outChannels / volume, 3, null, padding, options));
    }

    public long[] Stride { get; }

    public long GroupSize { get; }

    private CausalConv3d Conv { get; }

    public Tensor Forward(Tensor x, bool causal, Tensor? scaledTimestep = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        if (Stride[0] == 2) x = Tensor.Cat(new[] { x.Narrow(2, 0, 1), x }, 2);
        var skip = F.VoxelUnshuffle(x, Stride[0], Stride[1], Stride[2]); // [B, C·prod, F', H', W']
        var s = skip.Shape;
        skip = skip.Reshape(s[0], s[1] / GroupSize, GroupSize, s[2], s[3], s[4]).Mean(2);
        var main = F.VoxelUnshuffle(Conv.Forward(x, causal), Stride[0], Stride[1], Stride[2]);
        return scope.MoveToOuter(main + skip);
    }
}
