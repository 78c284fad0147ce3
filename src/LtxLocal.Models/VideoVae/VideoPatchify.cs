using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The VAE's 2-D patchify (ltx_core/model/video_vae/ops.py): <c>b c f (h q) (w r) -> b (c r q) f h w</c>, i.e.
/// channel = c·p² + (w % p)·p + (h % p) — the W sub-position is the slower index.
/// </summary>
public static class VideoPatchify
{
    /// <summary>[B, C, F, H·p, W·p] → [B, C·p², F, H, W].</summary>
    public static Tensor Patchify(Tensor x, long p)
    {
        if (p == 1) return x.Alias();
        using var scope = TorchRuntime.NewDisposeScope();
        var s = x.Shape;
        long h = s[3] / p, w = s[4] / p;
        var result = x.Reshape(s[0], s[1], s[2], h, p, w, p) // b c f h q w r
            .Permute(0, 1, 6, 4, 2, 3, 5)                      // b c r q f h w
            .Reshape(s[0], s[1] * p * p, s[2], h, w);
        return scope.MoveToOuter(result);
    }

    /// <summary>[B, C·p², F, H, W] → [B, C, F, H·p, W·p].</summary>
    public static Tensor Unpatchify(Tensor x, long p)
    {
        if (p == 1) return x.Alias();
        using var scope = TorchRuntime.NewDisposeScope();
        var s = x.Shape;
        long c = s[1] / (p * p);
        var result = x.Reshape(s[0], c, p, p, s[2], s[3], s[4]) // b c r q f h w
            .Permute(0, 1, 4, 5, 3, 6, 2)                        // b c f h q w r
            .Reshape(s[0], c, s[2], s[3] * p, s[4] * p);
        return scope.MoveToOuter(result);
    }
}
