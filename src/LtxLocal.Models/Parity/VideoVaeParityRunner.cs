using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>
/// The conv video VAE on a video_vae/ case: what runs (statistics, encoder, tiled encode, decoder, tiled decode) is
/// chosen by the reference functions the case names.
/// </summary>
public sealed class VideoVaeParityRunner : IParityRunner
{
    public string Component => "video_vae";

    public void Run(ParityCase fixture, Device device, Action<string, Tensor> check)
    {
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        var functions = fixture.ReferenceFunctions;
        bool Calls(string function) => functions.Any(f => f.EndsWith(function, StringComparison.Ordinal));
        Tensor In(string name) => fixture.Tensor(name, device);
        Tensor? Optional(string name) => fixture.Has(name) ? fixture.Tensor(name, device) : null;

        if (Calls("PerChannelStatistics.normalize"))
        {
            using var statistics = VideoVaeLoader.LoadStatistics(weights, device);
            check("out.normalized", statistics.Normalize(In("in.latent_raw")));
            check("out.un_normalized", statistics.UnNormalize(In("in.latent_normalized")));
        }
        else if (Calls("VideoEncoder.tiled_encode"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(weights, device);
            var video = In("in.video");
            check("out.latent", VideoTiling.TiledEncode(encoder, video, TilingFrom(fixture)));
            check("out.untiled", encoder.Forward(video));
        }
        else if (Calls("VideoEncoder.forward"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(weights, device);
            check("out.latent_video", encoder.Forward(In("in.video")));
            check("out.latent_image", encoder.Forward(In("in.image")));
        }
        else if (Calls("ConvVideoDecoder.tiled_decode"))
        {
            using var decoder = VideoVaeLoader.LoadDecoder(weights, device);
            var chunks = VideoTiling.TiledDecode(decoder, In("in.latent"), TilingFrom(fixture)).ToList();
            if (fixture.Call.TryGetProperty("chunk_frames", out var chunkFrames)
                && !chunkFrames.EnumerateArray().Select(c => c.GetInt64()).SequenceEqual(chunks.Select(c => c.Size(2))))
                throw new InvalidOperationException($"{fixture.Name}: decoded chunks of [{string.Join(", ", chunks.Select(c => c.Size(2)))}] frames, " +
                    $"the reference [{string.Join(", ", chunkFrames.EnumerateArray())}]");
            check("out.video", Tensor.Cat(chunks, 2));
        }
        else
        {
            using var decoder = VideoVaeLoader.LoadDecoder(weights, device);
            check("out.video", decoder.Forward(In("in.latent"), Optional("in.noise")));
            check("out.video_image", decoder.Forward(In("in.latent_image"), Optional("in.noise_image")));
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
