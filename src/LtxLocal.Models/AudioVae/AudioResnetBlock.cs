using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// PixelNorm(1e-6) → SiLU → causal conv → PixelNorm → SiLU → causal conv, plus the input (through a 1x1 causal
/// <c>nin_shortcut</c> when the width changes) — ltx_core/model/audio_vae/resnet.py <c>ResnetBlock</c> without temb.
/// </summary>
public sealed class AudioResnetBlock : Module, IUnaryModule
{
    public const double PixelNormEps = 1e-6;

    public AudioResnetBlock(long inChannels, long outChannels, ModuleOptions? options = null)
    {
        Conv1 = RegisterModule("conv1", new CausalConv2d(inChannels, outChannels, 3, options));
        Conv2 = RegisterModule("conv2", new CausalConv2d(outChannels, outChannels, 3, options));
        if (inChannels != outChannels) Shortcut = RegisterModule("nin_shortcut", new CausalConv2d(inChannels, outChannels, 1, options));
    }

    private CausalConv2d Conv1 { get; }
    private CausalConv2d Conv2 { get; }
    private CausalConv2d? Shortcut { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var norm = new PixelNorm(PixelNormEps);
        var h = Conv1.Forward(norm.Forward(x).Silu());
        h = Conv2.Forward(norm.Forward(h).Silu());
        var skip = Shortcut is null ? x : Shortcut.Forward(x);
        return scope.MoveToOuter(skip + h);
    }
}
