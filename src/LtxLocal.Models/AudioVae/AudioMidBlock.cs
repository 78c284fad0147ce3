using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.AudioVae;

/// <summary>The middle of the audio VAE: <c>block_1</c>, (no attention in released files), <c>block_2</c>.</summary>
public sealed class AudioMidBlock : Module, IUnaryModule
{
    public AudioMidBlock(long channels, ModuleOptions? options = null)
    {
        Block1 = RegisterModule("block_1", new AudioResnetBlock(channels, channels, options));
        Block2 = RegisterModule("block_2", new AudioResnetBlock(channels, channels, options));
    }

    private AudioResnetBlock Block1 { get; }

    private AudioResnetBlock Block2 { get; }

    public Tensor Forward(Tensor x)
    {
        using var h = Block1.Forward(x);
        return Block2.Forward(h);
    }
}
