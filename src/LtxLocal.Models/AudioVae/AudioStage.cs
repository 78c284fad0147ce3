using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>One resolution level of the audio VAE: <c>block.N</c> resnet blocks, then an optional <c>downsample</c> / <c>upsample</c>.</summary>
public sealed class AudioStage : Module, IUnaryModule
{
    public AudioStage(IEnumerable<AudioResnetBlock> blocks, string? resampleName = null, Module? resample = null)
    {
        Blocks = RegisterModule("block", new ModuleList<AudioResnetBlock>(blocks));
        if (resample is not null) Resample = (IUnaryModule)RegisterModule(resampleName!, resample);
    }

    private ModuleList<AudioResnetBlock> Blocks { get; }

    private IUnaryModule? Resample { get; }

    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var h = x;
        foreach (var block in Blocks) h = block.Forward(h);
        if (Resample is not null) h = Resample.Forward(h);
        return scope.MoveToOuter(ReferenceEquals(h, x) ? x.Alias() : h);
    }
}
