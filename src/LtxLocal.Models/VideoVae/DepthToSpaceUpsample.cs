using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The decoder's <c>compress_*</c> block (ltx_core/model/video_vae/sampling.py): causal conv to
/// prod(stride)·C/multiplier channels, depth-to-space (channel = c·prod + i_t·p2·p3 + i_h·p3 + i_w), and the first
/// output frame dropped when the temporal stride is 2. The LTX-2.0 <c>residual</c> variant adds the input
/// depth-to-spaced and repeated to the output width.
/// </summary>
public sealed class DepthToSpaceUpsample : Module, IVaeBlock
{
    public DepthToSpaceUpsample(long inChannels, long[] stride, bool residual, int reductionFactor, ConvPaddingMode padding,
        ModuleOptions? options = null)
    {
        (Stride, Residual, ReductionFactor) = (stride, residual, reductionFactor);
        long volume = stride[0] * stride[1] * stride[2];
        Conv = RegisterModule("conv", new CausalConv3d(inChannels, volume * inChannels / reductionFactor, 3, null, padding, options));
    }

    public long[] Stride { get; }

    public bool Residual { get; }

    public int ReductionFactor { get; }

    private CausalConv3d Conv { get; }

    public Tensor Forward(Tensor x, bool causal, Tensor? scaledTimestep = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (pt, ph, pw) = (Stride[0], Stride[1], Stride[2]);
        var output = F.VoxelShuffle(Conv.Forward(x, causal), pt, ph, pw);
        if (pt == 2) output = output.Narrow(2, 1, output.Size(2) - 1);
        if (Residual)
        {
            var skip = F.VoxelShuffle(x, pt, ph, pw).Repeat(1, pt * ph * pw / ReductionFactor, 1, 1, 1);
            if (pt == 2) skip = skip.Narrow(2, 1, skip.Size(2) - 1);
            output = output + skip;
        }
        return scope.MoveToOuter(output);
    }
}
