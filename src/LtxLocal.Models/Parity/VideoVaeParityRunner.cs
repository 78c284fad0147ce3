using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;

namespace LtxLocal.Models.Parity;

/// <summary>
/// The conv video VAE on a video_vae/ case: what runs (statistics, encoder, tiled encode, decoder, tiled decode) is
/// chosen by the reference functions the case names.
/// </summary>
public sealed class VideoVaeParityRunner() : ParityRunner("video_vae")
{
    protected override void Replay(ParityReplay replay)
    {
        if (replay.Calls("PerChannelStatistics.normalize"))
        {
            using var statistics = VideoVaeLoader.LoadStatistics(replay.Weights, replay.Device);
            replay.Check("out.normalized", statistics.Normalize(replay.In("in.latent_raw")));
            replay.Check("out.un_normalized", statistics.UnNormalize(replay.In("in.latent_normalized")));
        }
        else if (replay.Calls("VideoEncoder.tiled_encode"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(replay.Weights, replay.Device);
            var video = replay.In("in.video");
            replay.Check("out.latent", VideoTiling.TiledEncode(encoder, video, TilingFrom(replay.Fixture)));
            replay.Check("out.untiled", encoder.Forward(video));
        }
        else if (replay.Calls("VideoEncoder.forward"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(replay.Weights, replay.Device);
            replay.Check("out.latent_video", encoder.Forward(replay.In("in.video")));
            replay.Check("out.latent_image", encoder.Forward(replay.In("in.image")));
        }
        else if (replay.Calls("ConvVideoDecoder.tiled_decode"))
        {
            using var decoder = VideoVaeLoader.LoadDecoder(replay.Weights, replay.Device);
            var chunks = VideoTiling.TiledDecode(decoder, replay.In("in.latent"), TilingFrom(replay.Fixture)).ToList();
            if (replay.Fixture.Call.TryGetProperty("chunk_frames", out var chunkFrames))
                replay.Expect("the decoded chunks' frame counts", string.Join(", ", chunks.Select(c => c.Size(2))),
                    string.Join(", ", chunkFrames.EnumerateArray().Select(c => c.GetInt64())));
            replay.Check("out.video", Tensor.Cat(chunks, 2));
        }
        else
        {
            using var decoder = VideoVaeLoader.LoadDecoder(replay.Weights, replay.Device);
            replay.Check("out.video", decoder.Forward(replay.In("in.latent"), replay.Optional("in.noise")));
            replay.Check("out.video_image", decoder.Forward(replay.In("in.latent_image"), replay.Optional("in.noise_image")));
        }
    }

    /// <summary>case.json -> call.tiling (tile size and overlap per axis).</summary>
    public static TileSizeConfig TilingFrom(ParityCase fixture)
    {
        var tiling = fixture.Call.GetProperty("tiling");
        AxisTiling Axis(string axis) => new(tiling.GetProperty(axis).GetProperty("tile_size").GetInt32(), tiling.GetProperty(axis).GetProperty("overlap").GetInt32());
        return new TileSizeConfig(Axis("frames"), Axis("height"), Axis("width"));
    }
}
