using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The decoder's 2x upsample (ltx_core/model/audio_vae/upsample.py): nearest x2 on both axes, a causal conv
/// (<c>conv.conv.</c>), and the first time row dropped so T mel rows become 2T - 1.
/// </summary>
public sealed class AudioUpsample : Module, IUnaryModule
{
    public AudioUpsample(long channels, ModuleOptions? options = null) =>
        Conv = RegisterModule("conv", new CausalConv2d(channels, channels, 3, options));

    private CausalConv2d Conv { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = Conv.Forward(F.Interpolate(x, new[] { x.Size(2) * 2, x.Size(3) * 2 }));
        return scope.MoveToOuter(h.Narrow(2, 1, h.Size(2) - 1));
    }
}
