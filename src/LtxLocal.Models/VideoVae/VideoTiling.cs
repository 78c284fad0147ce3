using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// Tiled decoding and encoding of the conv video VAE (ltx_core/model/video_vae/conv_video_decoder.py <c>tiled_decode</c>,
/// video_vae.py <c>tiled_encode</c>): each tile is run on its own slice, weighted by separable trapezoidal masks and
/// accumulated; decoding proceeds in temporal groups and yields finished frames chunk by chunk, so only one group of
/// full-resolution frames is held at a time.
/// </summary>
public static class VideoTiling
{
    /// <summary>Decode tiles: latent intervals mapped to pixels (time [8b, 1+8(e-1)), space ×32).</summary>
    public static List<VideoTile> DecodeTiles(long[] latentShape, TileSizeConfig config, ScaleFactors scale)
    {
        var (ts, hs, ws) = config.Split(scale, latentShape[2], latentShape[3], latentShape[4]);
        var time = ts.Select(iv => config.Frames.IsTiled ? TemporalToPixels(iv, scale.Time) : Untiled(iv, 1 + (latentShape[2] - 1) * scale.Time)).ToList();
        var height = hs.Select(iv => config.Height.IsTiled ? SpatialToPixels(iv, scale.Height) : Untiled(iv, latentShape[3] * scale.Height)).ToList();
        var width = ws.Select(iv => config.Width.IsTiled ? SpatialToPixels(iv, scale.Width) : Untiled(iv, latentShape[4] * scale.Width)).ToList();
        return (from t in time from h in height from w in width select new VideoTile(t, h, w)).ToList();
    }

    /// <summary>Encode tiles: latent intervals, read from the matching pixel slices, blended in latent units.</summary>
    public static List<VideoTile> EncodeTiles(long[] videoShape, TileSizeConfig config, ScaleFactors scale)
    {
        foreach (var (axis, min) in new[] { (config.Frames, 16), (config.Height, 64), (config.Width, 64) })
            if (axis.IsTiled && axis.Overlap < min) throw new ArgumentException($"tiled encoding needs an overlap of at least {min} on tiled axes (got {axis.Overlap})");
        long frames = (videoShape[2] - 1) / scale.Time + 1, height = videoShape[3] / scale.Height, width = videoShape[4] / scale.Width;
        var (ts, hs, ws) = config.Split(scale, frames, height, width);
        TileAxis Time(DimensionInterval iv) => new(iv.Start * scale.Time, 1 + (iv.End - 1) * scale.Time, iv.Start, iv.End,
            TileSplit.TrapezoidalMask(iv.Length, iv.LeftRamp, iv.RightRamp, true));
        TileAxis Space(DimensionInterval iv, int s) => new(iv.Start * s, iv.End * s, iv.Start, iv.End,
            TileSplit.TrapezoidalMask(iv.Length, iv.LeftRamp, iv.RightRamp, false));
        return (from t in ts from h in hs from w in ws select new VideoTile(Time(t), Space(h, scale.Height), Space(w, scale.Width))).ToList();
    }

    private static TileAxis Untiled(DimensionInterval iv, long outLength) => new(iv.Start, iv.End, 0, outLength, Tensor.Ones(new[] { 1L }));

    private static TileAxis TemporalToPixels(DimensionInterval iv, int scale)
    {
        long start = iv.Start * scale, stop = 1 + (iv.End - 1) * scale;
        long left = iv.LeftRamp == 0 ? 0 : 1 + (iv.LeftRamp - 1) * scale;
        return new(iv.Start, iv.End, start, stop, TileSplit.TrapezoidalMask(stop - start, left, iv.RightRamp * scale, true));
    }

    private static TileAxis SpatialToPixels(DimensionInterval iv, int scale) =>
        new(iv.Start, iv.End, iv.Start * scale, iv.End * scale,
            TileSplit.TrapezoidalMask(iv.Length * scale, iv.LeftRamp * scale, iv.RightRamp * scale, false));

    /// <summary>
    /// Decodes <paramref name="latent"/> [B, C, F', H', W'] tile by tile and yields consecutive frame chunks
    /// [B, 3, f, H, W] of the decoded video (the reference's chunk boundaries).
    /// </summary>
    public static IEnumerable<Tensor> TiledDecode(ConvVideoDecoder decoder, Tensor latent, TileSizeConfig config, Generator? generator = null) =>
        TiledDecode(tile => decoder.Forward(tile, generator: generator), decoder.Config.OutChannels, decoder.Scale, latent, config);

    /// <summary>
    /// The tiling engine behind <see cref="TiledDecode(ConvVideoDecoder, Tensor, TileSizeConfig, Generator?)"/>: any decoder
    /// that maps a latent tile [B, C, f, h, w] to [B, outChannels, 1+(f-1)·t, h·s, w·s].
    /// </summary>
    public static IEnumerable<Tensor> TiledDecode(Func<Tensor, Tensor> decodeTile, long outChannels, ScaleFactors scale, Tensor latent,
        TileSizeConfig config)
    {
        var s = latent.Shape;
        long outFrames = 1 + (s[2] - 1) * scale.Time, outHeight = s[3] * scale.Height, outWidth = s[4] * scale.Width;
        var tiles = DecodeTiles(s, config, scale);
        bool complementary = VideoTile.MasksAreComplementary(tiles, outFrames, outHeight, outWidth);
        Tensor? previous = null, previousWeights = null;
        long previousStart = 0, previousEnd = 0;
        foreach (var group in tiles.GroupBy(t => (t.Time.OutStart, t.Time.OutEnd)))
        {
            var (start, end) = group.Key;
            var buffer = Tensor.Zeros(new[] { s[0], outChannels, end - start, outHeight, outWidth }, latent.DType, latent.Device);
            var weights = complementary ? null : Tensor.ZerosLike(buffer);
            foreach (var tile in group) Accumulate(decodeTile, latent, tile, buffer, weights, start);
            if (previous is not null)
            {
                if (previousEnd > start)
                {
                    long overlap = previousEnd - start, offset = start - previousStart;
                    using var previousTail = previous.Narrow(2, offset, overlap);
                    using var head = buffer.Narrow(2, 0, overlap);
                    previousTail.Add_(head);
                    if (weights is not null)
                    {
                        using var previousWeightTail = previousWeights!.Narrow(2, offset, overlap);
                        using var weightHead = weights.Narrow(2, 0, overlap);
                        previousWeightTail.Add_(weightHead);
                        weightHead.Copy_(previousWeightTail);
                    }
                    head.Copy_(previousTail);
                }
                yield return Finish(previous, previousWeights, start - previousStart);
                previous.Dispose();
                previousWeights?.Dispose();
            }
            (previous, previousWeights, previousStart, previousEnd) = (buffer, weights, start, end);
        }
        if (previous is null) yield break;
        yield return Finish(previous, previousWeights, previous.Size(2));
        previous.Dispose();
        previousWeights?.Dispose();
    }

    private static void Accumulate(Func<Tensor, Tensor> decodeTile, Tensor latent, VideoTile tile, Tensor buffer, Tensor? weights, long groupStart)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var decoded = decodeTile(tile.CutInput(latent));
        long frames = Math.Min(Math.Min(tile.Time.OutLength, decoded.Size(2)), buffer.Size(2) - (tile.Time.OutStart - groupStart));
        var mask = tile.BlendMask(frames, buffer.Device).To(buffer.DType);
        tile.OutputRegion(buffer, groupStart, frames).Add_(decoded.Narrow(2, 0, frames) * mask);
        if (weights is not null) tile.OutputRegion(weights, groupStart, frames).Add_(mask);
    }

    private static Tensor Finish(Tensor chunk, Tensor? weights, long frames)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var result = weights is null ? chunk.Narrow(2, 0, frames).Contiguous() : (chunk / weights.Clamp(1e-8)).Narrow(2, 0, frames).Contiguous();
        return scope.MoveToOuter(result);
    }

    /// <summary>Encodes <paramref name="video"/> [B, 3, F, H, W] in [-1, 1] tile by tile into a normalised latent.</summary>
    public static Tensor TiledEncode(VideoEncoder encoder, Tensor video, TileSizeConfig config)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var scale = encoder.Scale;
        long frames = video.Size(2), extra = (frames - 1) % scale.Time;
        if (extra != 0) video = video.Narrow(2, 0, frames - extra);
        var s = video.Shape;
        var tiles = EncodeTiles(s, config, scale);
        long lf = (s[2] - 1) / scale.Time + 1, lh = s[3] / scale.Height, lw = s[4] / scale.Width;
        var latent = Tensor.Zeros(new[] { s[0], (long)encoder.Config.LatentChannels, lf, lh, lw }, video.DType, video.Device);
        var weights = VideoTile.MasksAreComplementary(tiles, lf, lh, lw) ? null : Tensor.ZerosLike(latent);
        foreach (var tile in tiles)
        {
            using var tileScope = TorchRuntime.NewDisposeScope();
            var encoded = encoder.Forward(tile.CutInput(video));
            var mask = tile.BlendMask(tile.Time.OutLength, video.Device).To(video.DType);
            tile.OutputRegion(latent, 0, tile.Time.OutLength).Add_(encoded * mask);
            if (weights is not null) tile.OutputRegion(weights, 0, tile.Time.OutLength).Add_(mask);
        }
        return scope.MoveToOuter(weights is null ? latent : latent / weights.Clamp(1e-8));
    }
}
