using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// HiFi-GAN ResBlock1 (ltx_core/model/audio_vae/resnet.py): three (leaky-ReLU 0.1 → dilated conv → leaky-ReLU → conv)
/// residual steps, <c>convs1.N</c> with dilations (1, 3, 5) and <c>convs2.N</c> undilated, "same" padding.
/// With <paramref name="antiAliased"/> it is BigVGAN's AMPBlock1: the leaky ReLUs become anti-aliased Snake / SnakeBeta
/// activations <c>acts1.N</c> / <c>acts2.N</c>.
/// </summary>
public sealed class VocoderResBlock : Module, IUnaryModule
{
    private const double LeakySlope = 0.1;

    public VocoderResBlock(long channels, long kernelSize, long[] dilations, bool antiAliased, bool snakeBeta, ModuleOptions? options = null)
    {
        Convs1 = RegisterModule("convs1", new ModuleList<Conv1d>(dilations.Select(d =>
            new Conv1d(channels, channels, kernelSize, 1, d * (kernelSize - 1) / 2, d, options: options))));
        Convs2 = RegisterModule("convs2", new ModuleList<Conv1d>(dilations.Select(_ =>
            new Conv1d(channels, channels, kernelSize, 1, (kernelSize - 1) / 2, 1, options: options))));
        if (antiAliased)
        {
            Acts1 = RegisterModule("acts1", new ModuleList<AntiAliasedActivation>(dilations.Select(_ => new AntiAliasedActivation(channels, snakeBeta, options))));
            Acts2 = RegisterModule("acts2", new ModuleList<AntiAliasedActivation>(dilations.Select(_ => new AntiAliasedActivation(channels, snakeBeta, options))));
        }
    }

    private ModuleList<Conv1d> Convs1 { get; }
    private ModuleList<Conv1d> Convs2 { get; }
    private ModuleList<AntiAliasedActivation>? Acts1 { get; }
    private ModuleList<AntiAliasedActivation>? Acts2 { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        for (int i = 0; i < Convs1.Count; i++)
        {
            var h = Acts1 is null ? x.LeakyRelu(LeakySlope) : Acts1[i].Forward(x);
            h = Convs1[i].Forward(h);
            h = Acts2 is null ? h.LeakyRelu(LeakySlope) : Acts2[i].Forward(h);
            x = x + Convs2[i].Forward(h);
        }
        return scope.MoveToOuter(x);
    }
}
