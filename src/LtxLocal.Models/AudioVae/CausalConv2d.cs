using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// Conv2d causal on the time ("height") axis (ltx_core/model/audio_vae/causal_conv_2d.py): k-1 zero rows before,
/// none after; the mel axis is padded symmetrically. Weights under <c>conv.</c>.
/// </summary>
public sealed class CausalConv2d : Module, IUnaryModule
{
    public CausalConv2d(long inChannels, long outChannels, long kernelSize, ModuleOptions? options = null)
    {
        long pad = kernelSize - 1;
        Padding = new[] { pad / 2, pad - pad / 2, pad, 0 }; // mel left, mel right, time before, time after
        Conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, options: options));
    }

    private long[] Padding { get; }

    private Conv2d Conv { get; }

    public Tensor Forward(Tensor x)
    {
        using var padded = F.Pad(x, Padding);
        return Conv.Forward(padded);
    }
}
