using LtxLocal.Models.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>
/// Tiled decoding reassembles the untiled decode. A learned decoder sees zero / reflect padding at every tile seam, so on a
/// general latent tiles differ from the whole near seams (the reference behaves the same; its tiled result is checked by the
/// decode_tiled parity case, measured in the README). Exactness of the tiling itself (tile placement, causal temporal
/// split, trapezoidal masks, group-to-group blending, chunking) is shown with a position-consistent tile decoder, which has
/// no seam effect. The budget is the decode_tiled case's out.video tolerance.
/// </summary>
[Trait("Component", "video_vae")]
public class TiledDecodeTests
{
    private static readonly TileSizeConfig SmallTiles = new(new AxisTiling(24, 8), new AxisTiling(64, 32), new AxisTiling(64, 32));

    private static Tolerance Budget()
    {
        using var tiledCase = new FixtureCase("video_vae", "decode_tiled");
        return tiledCase.Tolerance("out.video");
    }

    [Fact]
    public void Tiles_blend_back_to_the_untiled_result_for_a_seam_free_decoder()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var scale = new ScaleFactors(8, 32, 32);
        using var generator = new Generator(7);
        var latent = Tensor.Randn(new long[] { 1, 3, 5, 4, 5 }, generator); // 2+ tiles on every axis with SmallTiles
        Tensor Decode(Tensor tile) => NearestCausalUpsample(tile, scale);

        var tiles = VideoTiling.DecodeTiles(latent.Shape, SmallTiles, scale);
        Assert.True(tiles.Select(t => t.Time.OutStart).Distinct().Count() >= 2);
        Assert.True(tiles.Select(t => t.Height.OutStart).Distinct().Count() >= 2);
        Assert.True(tiles.Select(t => t.Width.OutStart).Distinct().Count() >= 2);
        var tiled = Tensor.Cat(VideoTiling.TiledDecode(Decode, 3, scale, latent, SmallTiles).ToList(), 2);
        ParityAssert.Close(Decode(latent), tiled, Budget(), "tiled vs untiled (seam-free decoder)");
    }

    /// <summary>Latent frame 0 → 1 pixel frame, every later one → 8; each latent cell → 32x32 pixels; first 3 channels.</summary>
    private static Tensor NearestCausalUpsample(Tensor latent, ScaleFactors scale)
    {
        long frames = 1 + (latent.Size(2) - 1) * scale.Time;
        var source = Tensor.From(Enumerable.Range(0, (int)frames).Select(j => (long)((j + scale.Time - 1) / scale.Time)).ToArray(), frames);
        return latent.Narrow(1, 0, 3).IndexSelect(2, source).RepeatInterleave(scale.Height, 3).RepeatInterleave(scale.Width, 4);
    }
}
