using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The decoder's resampler (transformer/layers.py): <c>proj</c> widens channels to stride-product · C / reduction, then the
/// channels-last shuffle <c>b t h w (c p1 p2 p3) -> b (t p1) (h p2) (w p3) c</c>; with a temporal stride of 2 the duplicated
/// leading frame is dropped (the causal 1:2 frame mapping).
/// </summary>
public sealed class LinearPixelShuffleUpsample : Module
{
    public LinearPixelShuffleUpsample(long inChannels, UpsampleSpec spec, ModuleOptions options)
    {
        Stride = spec.Stride;
        long projected = Stride.Product * inChannels / spec.Reduction;
        OutChannels = projected / Stride.Product;
        Proj = RegisterModule("proj", new Linear(inChannels, projected, true, options));
    }

    public Thw Stride { get; }

    public long OutChannels { get; }

    public Linear Proj { get; }

    /// <summary>[B, T, H, W, C] → [B, T·st (- 1), H·sh, W·sw, C'].</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = x.Shape;
        var y = Proj.Forward(x).Reshape(s[0], s[1], s[2], s[3], OutChannels, Stride.T, Stride.H, Stride.W)
            .Permute(0, 1, 5, 2, 6, 3, 7, 4)                                             // b t p1 h p2 w p3 c
            .Reshape(s[0], s[1] * Stride.T, s[2] * Stride.H, s[3] * Stride.W, OutChannels);
        if (Stride.T == 2) y = y.Narrow(1, 1, y.Shape[1] - 1);
        return scope.MoveToOuter(y);
    }
}
