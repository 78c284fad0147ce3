using LtxLocal.Inference.Requests;

namespace LtxLocal.Inference.Tests.Requests;

/// <summary>
/// How retake and extend requests resolve against their source (no model runs): the window's frame count, the
/// region and context checks, and each adjustment, worked out by hand from the 8k+1 frame rule.
/// </summary>
public sealed class SourceClipsTests
{
    private static readonly ModelDescriptor Model = new("m", "/models/m", [], ["distilled", "one-stage", "two-stage"], HasAudio: true, IsDefault: true, null);

    private static ResolvedGeneration Resolve(RequestSource source, (int, int)? size = null) =>
        new GenerationResolver(new ResolverLimits()).Resolve(new GenerationAsk("p") { Resolution = size ?? (64, 64), Source = source }, Model);

    private static RequestSource Clip(string task, int frames = 100, double fps = 25) =>
        new(task, "/in/clip.mp4") { SourceFrames = frames, SourceFps = fps, SourceHasAudio = true };

    [Fact]
    public void Retake_runs_on_the_sources_8k_plus_1_frames_and_clamps_the_region_to_them()
    {
        var resolved = Resolve(Clip(SourceTasks.Retake) with { Start = 1, End = 9 }, (100, 70));
        var request = resolved.Request;
        Assert.Equal((97, 25.0, 96, 64), (request.NumFrames, request.Fps, request.Width, request.Height));
        Assert.Equal(97 / 25.0, request.Duration, 9);
        Assert.Equal((1.0, 97 / 25.0, SourceTasks.ReplaceAudioAndVideo), (request.Source!.Start, request.Source.End, request.Source.Mode));
        Assert.Equal(["resolution", "num_frames", "end_time"], resolved.Adjustments.Select(a => a.Field));
    }

    [Fact]
    public void A_source_frame_rate_the_model_does_not_take_is_snapped_with_its_frames()
    {
        var resolved = Resolve(Clip(SourceTasks.Retake, frames: 120, fps: 30) with { Start = 0, End = 1 });
        Assert.Equal(25.0, resolved.Request.Fps);
        Assert.Equal(97, resolved.Request.NumFrames); // 120 frames at 30 fps are 100 at 25 → 97
        Assert.Contains(resolved.Adjustments, a => a.Field == "fps");
    }

    [Theory]
    [InlineData(4.0, 5.0, "past the end")]
    [InlineData(2.0, 2.0, "'end_time' must be after 'start_time'")]
    [InlineData(2.0, 1.0, "'end_time' must be after 'start_time'")]
    public void Impossible_regions_are_refused(double start, double end, string message)
    {
        var error = Assert.Throws<InvalidGenerationException>(() => Resolve(Clip(SourceTasks.Retake) with { Start = start, End = end }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Replace_audio_needs_a_soundtrack_and_short_or_long_sources_are_refused()
    {
        Assert.Contains("soundtrack", Assert.Throws<InvalidGenerationException>(() =>
            Resolve(Clip(SourceTasks.Retake) with { Start = 0, End = 1, Mode = SourceTasks.ReplaceAudio, SourceHasAudio = false })).Message);
        Assert.Contains("at least 9", Assert.Throws<InvalidGenerationException>(() => Resolve(Clip(SourceTasks.Retake, frames: 8) with { Start = 0, End = 0.1 })).Message);
        Assert.Contains("at most 10 s", Assert.Throws<InvalidGenerationException>(() => Resolve(Clip(SourceTasks.Retake, frames: 400) with { Start = 0, End = 1 })).Message);
    }

    [Fact]
    public void Extending_the_end_sees_8m_plus_1_source_frames_then_whole_latent_frames_of_new_ones()
    {
        // 2 s of context at 25 fps = 50 frames → 6·8+1 = 49; 2 s added = 50 frames → 7 latent frames (56); 49 + 56 = 105.
        var resolved = Resolve(Clip(SourceTasks.Extend) with { Seconds = 2, Context = 2 });
        var source = resolved.Request.Source!;
        Assert.Equal((105, 49, 50, SourceTasks.AtEnd), (resolved.Request.NumFrames, source.ContextFrames, source.AddedFrames, source.Mode));
        Assert.Equal(49 / 25.0, source.Context, 9);
        Assert.Contains(resolved.Adjustments, a => a.Field == "context");
    }

    [Fact]
    public void Extending_the_start_puts_8q_plus_1_new_frames_before_8m_source_frames()
    {
        // 50 added frames need 8q+1 >= 50 → q = 7 (57 frames); 2 s of context = 50 frames → 6·8 = 48; 57 + 48 = 105.
        var resolved = Resolve(Clip(SourceTasks.Extend) with { Seconds = 2, Context = 2, Mode = SourceTasks.AtStart });
        var source = resolved.Request.Source!;
        Assert.Equal((105, 48, 50), (resolved.Request.NumFrames, source.ContextFrames, source.AddedFrames));
    }

    [Fact]
    public void An_extension_longer_than_the_model_takes_is_shortened_and_listed()
    {
        // 10 s at 25 fps = 249 frames = 31 latent frames after the first; 2 s of context take 6, so 25 remain (200 frames).
        var resolved = Resolve(Clip(SourceTasks.Extend) with { Seconds = 30, Context = 2 });
        Assert.Equal((249, 200), (resolved.Request.NumFrames, resolved.Request.Source!.AddedFrames));
        Assert.Contains(resolved.Adjustments, a => a.Field == "duration");
        Assert.Contains("above 0", Assert.Throws<InvalidGenerationException>(() => Resolve(Clip(SourceTasks.Extend) with { Seconds = 0, Context = 2 })).Message);
    }
}
