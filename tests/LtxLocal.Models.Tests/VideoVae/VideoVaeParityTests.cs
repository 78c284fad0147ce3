using LtxLocal.Models.VideoVae;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;
using Xunit.Abstractions;

namespace LtxLocal.Models.Tests.VideoVae;

/// <summary>The conv video VAE against the reference fixtures (video_vae/*): what runs is chosen by the case's reference functions.</summary>
public class VideoVaeParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("video_vae");

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Category", "Parity")]
    [Trait("Component", "video_vae")]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("video_vae", name);
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TestDevice.Current;
        var functions = fixture.Json.GetProperty("reference").GetProperty("functions").EnumerateArray().Select(f => f.GetString()!).ToList();
        bool Calls(string function) => functions.Any(f => f.EndsWith(function, StringComparison.Ordinal));

        if (Calls("PerChannelStatistics.normalize"))
        {
            using var statistics = VideoVaeLoader.LoadStatistics(weights, device);
            fixture.Check(output, "out.normalized", statistics.Normalize(fixture.Tensor("in.latent_raw")));
            fixture.Check(output, "out.un_normalized", statistics.UnNormalize(fixture.Tensor("in.latent_normalized")));
        }
        else if (Calls("VideoEncoder.tiled_encode"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(weights, device);
            var video = fixture.Tensor("in.video");
            fixture.Check(output, "out.latent", VideoTiling.TiledEncode(encoder, video, TilingFrom(fixture)));
            fixture.Check(output, "out.untiled", encoder.Forward(video));
        }
        else if (Calls("VideoEncoder.forward"))
        {
            using var encoder = VideoVaeLoader.LoadEncoder(weights, device);
            fixture.Check(output, "out.latent_video", encoder.Forward(fixture.Tensor("in.video")));
            fixture.Check(output, "out.latent_image", encoder.Forward(fixture.Tensor("in.image")));
        }
        else if (Calls("ConvVideoDecoder.tiled_decode"))
        {
            using var decoder = VideoVaeLoader.LoadDecoder(weights, device);
            var chunks = VideoTiling.TiledDecode(decoder, fixture.Tensor("in.latent"), TilingFrom(fixture)).ToList();
            if (fixture.Call.TryGetProperty("chunk_frames", out var chunkFrames))
                Assert.Equal(chunkFrames.EnumerateArray().Select(c => c.GetInt64()), chunks.Select(c => c.Size(2)));
            fixture.Check(output, "out.video", Tensor.Cat(chunks, 2));
        }
        else
        {
            using var decoder = VideoVaeLoader.LoadDecoder(weights, device);
            fixture.Check(output, "out.video", decoder.Forward(fixture.Tensor("in.latent"), Optional(fixture, "in.noise")));
            fixture.Check(output, "out.video_image", decoder.Forward(fixture.Tensor("in.latent_image"), Optional(fixture, "in.noise_image")));
        }
    }

    private static Tensor? Optional(FixtureCase fixture, string name) => fixture.Has(name) ? fixture.Tensor(name) : null;

    internal static TileSizeConfig TilingFrom(FixtureCase fixture)
    {
        var tiling = fixture.Call.GetProperty("tiling");
        AxisTiling Axis(string axis) => new(tiling.GetProperty(axis).GetProperty("tile_size").GetInt32(), tiling.GetProperty(axis).GetProperty("overlap").GetInt32());
        return new TileSizeConfig(Axis("frames"), Axis("height"), Axis("width"));
    }
}
