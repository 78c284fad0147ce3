using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// The LTX-2 (19B) in-model caption projection (text_projection.py, PixArtAlphaTextProjection):
/// linear_1 (caption_channels -> dim) -> GELU(tanh) -> linear_2 (dim -> dim).
/// </summary>
public sealed class CaptionProjection : Module
{
    private readonly Linear _linear1;
    private readonly Linear _linear2;

    public CaptionProjection(long inFeatures, long dim, ModuleOptions options)
    {
        _linear1 = RegisterModule("linear_1", new Linear(inFeatures, dim, true, options));
        _linear2 = RegisterModule("linear_2", new Linear(dim, dim, true, options));
    }

    public Tensor Forward(Tensor caption)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var hidden = _linear1.Forward(caption).Gelu_(tanhApproximation: true);
        return scope.MoveToOuter(_linear2.Forward(hidden));
    }
}
