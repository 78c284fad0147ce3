using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Inference.Tests.Requests;

/// <summary>
/// The resolver against the values of the reference's per-generation PipelineParams (ltx_pipelines/utils/constants.py:
/// 40 / 30 steps, CFG 3 video / 7 audio, image CRF 33 / 18 from 2.4): defaults per generation, what distilled drops, what
/// is refused, and the never-reject size rules.
/// </summary>
public sealed class GenerationResolverTests
{
    private static ModelDescriptor Model(string? version, params string[] pipelines) => new(
        "m", "/nowhere", [], pipelines.Length == 0 ? PipelineNames.All : pipelines, true, true, null,
        PromptEnhancement.Unsupported("no"), version is null ? null : Version.Parse(version));

    private static GenerationRequest Resolve(GenerationAsk ask, string? version = "2.3.0") =>
        new GenerationResolver(new ResolverLimits()).Resolve(ask, Model(version)).Request;

    [Theory]
    [InlineData(null, 40, 33)]     // LTX_2_PARAMS (files without model_version)
    [InlineData("2.3.0", 30, 33)]  // LTX_2_3_PARAMS
    [InlineData("2.4.0", 30, 18)]  // LTX_2_4_PARAMS: 2.3's knobs, image CRF 18
    [InlineData("2.5.0", 30, 18)]  // a newer generation inherits the newest known one
    public void Guided_defaults_are_the_generations(string? version, int steps, int crf)
    {
        var request = Resolve(new GenerationAsk("p") { Pipeline = PipelineNames.OneStage }, version);
        Assert.Equal(steps, request.Steps);
        Assert.Equal(new GuidanceScales(3.0, 7.0), request.Guidance);
        Assert.Equal(PipelineNames.DefaultNegativePrompt, request.NegativePrompt);
        Assert.Equal(crf, request.ImageCrf);
    }

    [Fact]
    public void Asked_values_win_over_the_defaults_and_guidance_1_switches_audio_guidance_off_too()
    {
        var request = Resolve(new GenerationAsk("p") { Pipeline = PipelineNames.TwoStage, Steps = 12, GuidanceScale = 1, NegativePrompt = "blur" });
        Assert.Equal((12, new GuidanceScales(1, 1), "blur"), (request.Steps, request.Guidance, request.NegativePrompt));
    }

    [Fact]
    public void Distilled_drops_steps_guidance_and_negative_prompt_and_names_each()
    {
        var resolved = new GenerationResolver(new ResolverLimits()).Resolve(
            new GenerationAsk("p") { Steps = 20, GuidanceScale = 7, NegativePrompt = "blur" }, Model("2.3.0"));
        Assert.Equal((null, null, null), (resolved.Request.Steps, resolved.Request.Guidance, resolved.Request.NegativePrompt));
        var dropped = resolved.Adjustments.Where(a => a.Applied is null).Select(a => a.Field).Order().ToList();
        Assert.Equal(["guidance_scale", "negative_prompt", "steps"], dropped);
    }

    [Theory]
    [InlineData(30.0)]
    [InlineData(60.0)]
    public void A_frame_rate_outside_the_list_is_refused(double fps)
    {
        var e = Assert.Throws<InvalidGenerationException>(() => Resolve(new GenerationAsk("p") { Fps = fps }));
        Assert.Contains("'fps'", e.Message);
    }

    [Fact]
    public void A_pipeline_the_files_cannot_run_is_refused()
    {
        var e = Assert.Throws<InvalidGenerationException>(() =>
            new GenerationResolver(new ResolverLimits()).Resolve(new GenerationAsk("p") { Pipeline = PipelineNames.TwoStage }, Model("2.3.0", "distilled")));
        Assert.Contains("two-stage", e.Message);
    }

    [Fact]
    public void Without_a_resolution_the_image_gives_the_size_and_odd_sizes_are_adjusted_not_refused()
    {
        var resolved = new GenerationResolver(new ResolverLimits()).Resolve(
            new GenerationAsk("p") { Image = new ImageAsk("a.png", 100, 100), Duration = 2 }, Model("2.3.0"));
        Assert.Equal((96, 96, 4.0, 97), (resolved.Request.Width, resolved.Request.Height, resolved.Request.Duration, resolved.Request.NumFrames));
        Assert.Equal(["resolution", "duration"], resolved.Adjustments.Select(a => a.Field));
        Assert.Equal(new RequestImage("a.png", 0, 100, 100), Assert.Single(resolved.Request.Images));
    }
}
