using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The audio latent's token view (ltx_core AudioPatchifier, patch 1): [B, C, T, mel] ↔ [B, T, C·mel], feature index
/// c·mel + f. The per-channel statistics act on these features.
/// </summary>
public static class AudioPatchify
{
    public static Tensor Patchify(Tensor latent)
    {
        var s = latent.Shape;
        using var permuted = latent.Permute(0, 2, 1, 3);
        return permuted.Reshape(s[0], s[2], s[1] * s[3]);
    }

    public static Tensor Unpatchify(Tensor tokens, long channels, long melBins)
    {
        var s = tokens.Shape;
        using var split = tokens.Reshape(s[0], s[1], channels, melBins);
        return split.Permute(0, 2, 1, 3).Contiguous();
    }

    /// <summary>normalise / un-normalise a [B, C, T, mel] latent through its token view.</summary>
    public static Tensor ApplyStatistics(Tensor latent, PerChannelStatistics statistics, bool normalize)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tokens = Patchify(latent);
        var mapped = normalize ? statistics.Normalize(tokens) : statistics.UnNormalize(tokens);
        return scope.MoveToOuter(Unpatchify(mapped, latent.Size(1), latent.Size(3)));
    }
}
