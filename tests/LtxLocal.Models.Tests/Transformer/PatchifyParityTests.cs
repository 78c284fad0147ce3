using System.Text.Json;
using LtxLocal.Models.Transformer;
using LtxLocal.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Models.Tests.Transformer;

/// <summary>
/// Patchifiers, position grids and the latent-state conditionings against the reference on every case under
/// patchify/; shapes, fps, strengths and indices come from each case's call.
/// </summary>
public sealed class PatchifyParityTests
{
    public static IEnumerable<object[]> Cases => FixtureCase.CasesOf("patchify");

    [Theory]
    [Trait("Category", "Parity")]
    [Trait("Component", "patchify")]
    [MemberData(nameof(Cases))]
    public void Matches_reference(string name)
    {
        using var fixture = new FixtureCase("patchify", name);
        using var scope = TorchRuntime.NewDisposeScope();
        var actual = name switch
        {
            "video" => Video(fixture),
            "audio" => Audio(fixture),
            "video_latent_index_cond" => LatentIndexConditioning(fixture),
            "video_keyframe_cond" => KeyframeConditioning(fixture),
            _ => throw new InvalidOperationException($"unknown patchify case {name}"),
        };
        var expected = fixture.Outputs().ToList();
        Assert.Equal(expected.Order(), actual.Keys.Order());
        foreach (var output in expected) fixture.AssertClose(output, actual[output]);
    }

    private static Dictionary<string, Tensor> Video(FixtureCase fixture)
    {
        var pixels = fixture.Call.GetProperty("pixel_shape");
        var tools = VideoLatentTools.FromPixels(Int(pixels, "batch"), fixture.Tensor("in.latent").Size(1), Int(pixels, "frames"),
            Int(pixels, "height"), Int(pixels, "width"), pixels.GetProperty("fps").GetDouble());
        var latent = fixture.Tensor("in.latent");
        Assert.Equal(latent.Shape, new[] { tools.Batch, tools.Channels, tools.Frames, tools.Height, tools.Width });
        var bounds = VideoLatentPatchifier.GridBounds(tools.Batch, tools.Frames, tools.Height, tools.Width, latent.Device);
        var pixelCoords = VideoLatentPatchifier.PixelCoords(bounds, tools.ScaleFactors, causalFix: true);
        var state = tools.CreateInitialState(DType.Float32, latent.Device, latent);
        return new()
        {
            ["out.tokens"] = state.Latent,
            ["out.latent_coords"] = bounds,
            ["out.pixel_coords"] = pixelCoords,
            ["out.positions"] = state.Positions,
            ["out.denoise_mask"] = state.DenoiseMask,
            ["out.keyframes_mask"] = state.KeyframesMask!,
            ["out.unpatchified"] = VideoLatentPatchifier.Unpatchify(state.Latent, tools.Frames, tools.Height, tools.Width),
        };
    }

    private static Dictionary<string, Tensor> Audio(FixtureCase fixture)
    {
        var call = fixture.Call;
        var patchifier = new AudioPatchifier((int)Int(call, "sample_rate"), (int)Int(call, "hop_length"), (int)Int(call, "audio_latent_downsample_factor"),
            call.GetProperty("is_causal").GetBoolean(), (int)Int(call, "shift"));
        var pixels = call.GetProperty("pixel_shape");
        var latent = fixture.Tensor("in.latent"); // [B, C, T, mel]
        Assert.Equal(latent.Size(2), patchifier.LatentFrames(Int(pixels, "frames"), pixels.GetProperty("fps").GetDouble()));
        var tokens = AudioPatchifier.Patchify(latent);
        return new()
        {
            ["out.tokens"] = tokens,
            ["out.positions"] = patchifier.Positions(latent.Size(0), latent.Size(2), latent.Device),
            ["out.denoise_mask"] = Tensor.Ones(new[] { latent.Size(0), latent.Size(2), 1 }, DType.Float32, latent.Device),
            ["out.unpatchified"] = AudioPatchifier.Unpatchify(tokens, latent.Size(1), latent.Size(3)),
        };
    }

    private static Dictionary<string, Tensor> LatentIndexConditioning(FixtureCase fixture)
    {
        var call = fixture.Call;
        var tools = ToolsFor(call);
        var state = tools.CreateInitialState(DType.Float32, TestDevice.Current);
        foreach (var item in call.GetProperty("conditionings").EnumerateArray())
        {
            Assert.Equal("VideoConditionByLatentIndex", item.GetProperty("type").GetString());
            state = tools.ConditionByLatentIndex(state, fixture.Tensor(item.GetProperty("latent").GetString()!),
                item.GetProperty("strength").GetDouble(), Int(item, "latent_idx"));
        }
        var noise = fixture.Tensor("in.noise");
        return new()
        {
            ["out.clean_latent"] = state.CleanLatent,
            ["out.denoise_mask"] = state.DenoiseMask,
            ["out.noised_latent"] = state.Noised(noise, call.GetProperty("noise_scale_for_out.noised_latent").GetDouble()).Latent,
            ["out.noised_latent_scale"] = state.Noised(noise, call.GetProperty("noise_scale_for_out.noised_latent_scale").GetDouble()).Latent,
        };
    }

    private static Dictionary<string, Tensor> KeyframeConditioning(FixtureCase fixture)
    {
        var call = fixture.Call;
        var tools = ToolsFor(call);
        var state = tools.ConditionByKeyframe(tools.CreateInitialState(DType.Float32, TestDevice.Current), fixture.Tensor("in.keyframe_latent"),
            call.GetProperty("strength").GetDouble(), Int(call, "frame_idx"), Int(call, "num_pixel_frames"));
        return new()
        {
            ["out.latent"] = state.Latent,
            ["out.clean_latent"] = state.CleanLatent,
            ["out.denoise_mask"] = state.DenoiseMask,
            ["out.positions"] = state.Positions,
            ["out.keyframes_mask"] = state.KeyframesMask!,
        };
    }

    private static VideoLatentTools ToolsFor(JsonElement call)
    {
        var shape = call.GetProperty("latent_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(); // [B, C, F, H, W]
        return new VideoLatentTools(shape[0], shape[1], shape[2], shape[3], shape[4], call.GetProperty("fps").GetDouble());
    }

    private static long Int(JsonElement element, string name) => element.GetProperty(name).GetInt64();
}
