using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The encoder's causal 2x downsample (ltx_core/model/audio_vae/downsample.py): zero-pad 2 time rows before and 1 mel
/// column after, then a 3x3 stride-2 conv (<c>conv.</c>, a plain Conv2d).
/// </summary>
public sealed class AudioDownsample : Module, IUnaryModule
{
    public AudioDownsample(long channels, ModuleOptions? options = null) =>
        Conv = RegisterModule("conv", new Conv2d(channels, channels, 3, stride: 2, options: options));

    private Conv2d Conv { get; }

    public Tensor Forward(Tensor x)
    {
        using var padded = F.Pad(x, new long[] { 0, 1, 2, 0 });
        return Conv.Forward(padded);
    }
}
