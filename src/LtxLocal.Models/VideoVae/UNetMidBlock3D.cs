using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// A stack of same-width <see cref="ResnetBlock3D"/>s (<c>res_blocks.N</c>); with timestep conditioning a shared
/// <c>time_embedder</c> (width 4C) feeds every block's AdaLN (ltx_core/model/video_vae/resnet.py, <c>res_x</c>).
/// </summary>
public sealed class UNetMidBlock3D : Module, IVaeBlock
{
    public UNetMidBlock3D(long channels, int numLayers, bool timestepConditioning, ConvPaddingMode padding, ModuleOptions? options = null)
    {
        if (timestepConditioning) TimeEmbedder = RegisterModule("time_embedder", new CombinedTimestepEmbedding(channels * 4, options));
        Blocks = RegisterModule("res_blocks", new ModuleList<ResnetBlock3D>(
            Enumerable.Range(0, numLayers).Select(_ => new ResnetBlock3D(channels, channels, timestepConditioning, padding, options))));
    }

    private CombinedTimestepEmbedding? TimeEmbedder { get; }

    private ModuleList<ResnetBlock3D> Blocks { get; }

    public Tensor Forward(Tensor x, bool causal, Tensor? scaledTimestep)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        Tensor? embedding = null;
        if (TimeEmbedder is not null)
        {
            if (scaledTimestep is null) throw new ArgumentException("this VAE is timestep-conditioned: a timestep is required");
            var e = TimeEmbedder.Forward(scaledTimestep.Flatten()).To(x.DType); // [B, 4C]
            embedding = e.Reshape(x.Size(0), e.Size(1), 1, 1, 1);
        }
        var h = x;
        foreach (var block in Blocks) h = block.Forward(h, causal, embedding);
        return scope.MoveToOuter(ReferenceEquals(h, x) ? x.Alias() : h);
    }
}
