using LtxLocal.Inference.Denoising;
using LtxLocal.Models.Transformer;
using LtxLocal.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Denoising;

/// <summary>
/// Stream specs on small hand-worked grids: region masks at token boundaries (video with the causal first frame, audio
/// in seconds, compared in float32), frozen streams, given latents and soundtrack length conforming.
/// </summary>
public sealed class StreamStateBuilderTests
{
    private static readonly Device Device = TestDevice.Current;

    private static Func<LatentState, Tensor> Draw(double value) => state => Tensor.FullLike(state.Latent, value);

    [Fact]
    public void Video_region_covers_the_latent_frames_whose_pixel_span_overlaps_it()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        // 17 pixel frames at 24 fps: latent frames span pixel frames [0, 1), [1, 9), [9, 17) = [0, .042), [.042, .375), [.375, .708) s.
        var tools = VideoLatentTools.FromPixels(1, 4, 17, 64, 96, 24);
        var spec = new StreamSpec { Region = new TemporalRegionMask(0.05, 0.375, 24) };
        var state = StreamStateBuilder.Video(tools, spec, DType.Float32, Device, Draw(0));
        var perFrame = (int)tools.TokensPerFrame;
        var expected = new float[perFrame * 3];
        Array.Fill(expected, 1f, perFrame, perFrame);   // only the middle frame: the last starts exactly at the region's end
        Assert.Equal(expected, state.DenoiseMask.Reshape(-1).Cpu().ToArray<float>());
    }

    [Fact]
    public void Audio_region_bounds_compare_in_float32()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        // Token t spans mel frames [max(4t-3, 0), 4t+1) · 10 ms: token 1 ends at 0.05 s, which in float32 equals 0.05f, so it
        // does not overlap [0.05, 0.4) (a float64 comparison would take it); token 10 starts at 0.37 s, token 11 at 0.41 s.
        var tools = new AudioLatentTools(1, 2, 18, 4);
        var state = StreamStateBuilder.Audio(tools, new StreamSpec { Region = new TemporalRegionMask(0.05, 0.4, 24) }, DType.Float32, Device, Draw(0));
        var expected = Enumerable.Range(0, 18).Select(t => t is >= 2 and <= 10 ? 1f : 0f).ToArray();
        Assert.Equal(expected, state.DenoiseMask.Reshape(-1).Cpu().ToArray<float>());
    }

    [Fact]
    public void Frozen_stream_keeps_its_latent_gets_sigma_zero_and_walks_back_from_noise()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tools = new AudioLatentTools(1, 2, 5, 4);
        var given = Tensor.Arange(40, DType.Float32, Device).Reshape(1, 2, 5, 4) / 40;
        var still = StreamStateBuilder.Audio(tools, StreamSpec.FrozenAt(given), DType.Float32, Device, Draw(7));
        Assert.True(still.Frozen);
        Assert.Equal(0.0, still.DenoiseMask.Abs().Amax().Item());
        Assert.Equal(0.0, (tools.Unpatchify(still) - given).Abs().Amax().Item());
        var modality = StateModality.From(still, Tensor.Zeros(new long[] { 1, 3, 8 }, device: Device), 0.9f);
        Assert.Equal(0.0, modality.Sigma.Abs().Amax().Item());
        Assert.Equal(0.0, modality.Timesteps.Abs().Amax().Item());

        var noisy = StreamStateBuilder.Audio(tools, StreamSpec.FrozenAt(given, noiseScale: 1), DType.Float32, Device, Draw(7));
        Assert.Equal(7.0, noisy.Latent.Amin().Item());   // starts as the draw; the loop's x0 is the clean latent (mask 0)
        Assert.Equal(0.0, (StateModality.PostProcess(noisy.Latent, noisy) - noisy.CleanLatent).Abs().Amax().Item());
    }

    [Fact]
    public void Given_latents_must_fit_the_grid_and_soundtracks_are_conformed()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var tools = new AudioLatentTools(1, 2, 5, 4);
        var longer = Tensor.Ones(new long[] { 1, 2, 8, 4 }, device: Device);
        Assert.Throws<ArgumentException>(() => StreamStateBuilder.Audio(tools, StreamSpec.FrozenAt(longer), DType.Float32, Device, Draw(0)));
        Assert.Equal(new long[] { 1, 2, 5, 4 }, tools.ConformLength(longer).Shape);
        var padded = tools.ConformLength(Tensor.Ones(new long[] { 1, 2, 3, 4 }, device: Device));
        Assert.Equal(new long[] { 1, 2, 5, 4 }, padded.Shape);
        Assert.Equal(24.0, padded.Sum().Item());
        Assert.Throws<ArgumentException>(() => new TemporalRegionMask(0.5, 0.5, 24).ApplyTo(tools.CreateInitialState(DType.Float32, Device), tools));
    }
}
