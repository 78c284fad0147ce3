using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// norm → [AdaLN] → SiLU → conv → norm → [AdaLN] → SiLU → conv, plus the input (through GroupNorm(1) and a 1x1x1 conv
/// when the width changes) — ltx_core/model/video_vae/resnet.py. With timestep conditioning the block's
/// <c>scale_shift_table</c> [4, C] plus the mid block's embedding gives shift1, scale1, shift2, scale2.
/// </summary>
public sealed class ResnetBlock3D : Module, IVaeBlock
{
    public ResnetBlock3D(long inChannels, long outChannels, bool timestepConditioning, ConvPaddingMode padding, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        Norm = new PixelNorm();
        Conv1 = RegisterModule("conv1", new CausalConv3d(inChannels, outChannels, 3, null, padding, o));
        Conv2 = RegisterModule("conv2", new CausalConv3d(outChannels, outChannels, 3, null, padding, o));
        if (inChannels != outChannels)
        {
            Norm3 = RegisterModule("norm3", new GroupNorm(1, inChannels, 1e-6, true, o));
            Shortcut = RegisterModule("conv_shortcut", new Conv3d(inChannels, outChannels, 1, options: o));
        }
        if (timestepConditioning) ScaleShiftTable = AddParameter("scale_shift_table", NewTensor(new[] { 4, inChannels }, o));
    }

    private PixelNorm Norm { get; }
    private CausalConv3d Conv1 { get; }
    private CausalConv3d Conv2 { get; }
    private GroupNorm? Norm3 { get; }
    private Conv3d? Shortcut { get; }
    private TensorSlot? ScaleShiftTable { get; }

    /// <param name="timestep">The mid block's embedding [B, 4C, 1, 1, 1], or null without timestep conditioning.</param>
    public Tensor Forward(Tensor input, bool causal, Tensor? timestep = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = Norm.Forward(input);
        Tensor[]? ada = null;
        if (timestep is not null)
        {
            var table = ScaleShiftTable!.Value;
            long b = input.Size(0), c = table.Size(1);
            // [B, 4, C, 1, 1, 1]: rows shift1, scale1, shift2, scale2
            var values = table.To(h.DType).Reshape(1, 4, c, 1, 1, 1) + timestep.Reshape(b, 4, c, 1, 1, 1);
            ada = Enumerable.Range(0, 4).Select(i => values.Select(1, i)).ToArray();
            h = h * (1 + ada[1]) + ada[0];
        }
        h = Conv1.Forward(h.Silu(), causal);
        h = Norm.Forward(h);
        if (ada is not null) h = h * (1 + ada[3]) + ada[2];
        h = Conv2.Forward(h.Silu(), causal);
        var skip = Shortcut is null ? input : Shortcut.Forward(Norm3!.Forward(input));
        return scope.MoveToOuter(skip + h);
    }

    Tensor IVaeBlock.Forward(Tensor x, bool causal, Tensor? scaledTimestep) => Forward(x, causal);
}
