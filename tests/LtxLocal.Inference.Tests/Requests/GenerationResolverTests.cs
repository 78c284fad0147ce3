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
        // The effective STG scale is echoed too: 1.0 in every generation's video guider (LTX_2_PARAMS, LTX_2_3_PARAMS).
        Assert.Equal(new GuidanceScales(3.0, 7.0) { StgScale = 1.0 }, request.Guidance);
        Assert.Equal(PipelineNames.DefaultNegativePrompt, request.NegativePrompt);
        Assert.Equal(crf, request.ImageCrf);
    }

    [Fact]
    public void Asked_values_win_over_the_defaults_and_guidance_1_switches_audio_guidance_off_too()
    {
        var request = Resolve(new GenerationAsk("p") { Pipeline = PipelineNames.TwoStage, Steps = 12, GuidanceScale = 1, NegativePrompt = "blur" });
        Assert.Equal((12, new GuidanceScales(1, 1) { StgScale = 1.0 }, "blur"), (request.Steps, request.Guidance, request.NegativePrompt));
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

    [Fact]
    public void Loras_resolve_to_the_folders_names_in_the_asked_order_with_their_strengths()
    {
        var model = Model("2.3.0") with
        {
            Loras = [new("grain", "/m/loras/grain.safetensors", 10, 4, null), new("style", "/m/loras/style.safetensors", 10, 4, null),
                new("flux", "/m/loras/flux.safetensors", 10, 2, "none of its 2 layers matches a weight of the transformer")],
        };
        var resolver = new GenerationResolver(new ResolverLimits());
        var request = resolver.Resolve(new GenerationAsk("p") { Loras = [new("style.safetensors", -0.5), new("grain")] }, model).Request;
        Assert.Equal([new RequestLora("style", -0.5), new RequestLora("grain", 1.0)], request.Loras);
        Assert.Empty(resolver.Resolve(new GenerationAsk("p"), model).Request.Loras);

        Assert.Contains("has: grain, style, flux", Assert.Throws<InvalidGenerationException>(() =>
            resolver.Resolve(new GenerationAsk("p") { Loras = [new("sepia")] }, model)).Message);
        Assert.Contains("cannot be used with model 'm': none of its 2 layers", Assert.Throws<InvalidGenerationException>(() =>
            resolver.Resolve(new GenerationAsk("p") { Loras = [new("flux")] }, model)).Message);
        Assert.Contains("has none (LoRA files go in its folder's loras/)", Assert.Throws<InvalidGenerationException>(() =>
            resolver.Resolve(new GenerationAsk("p") { Loras = [new("style")] }, Model("2.3.0"))).Message);
    }

    [Theory]
    [InlineData("a/b", "not a path")]
    [InlineData("..", "not a path")]
    [InlineData("a\\b", "not a path")]
    [InlineData("", "not a path")]
    [InlineData(" style", "not a path")]
    public void A_lora_name_that_is_not_a_plain_file_name_is_refused_before_any_model_is_known(string name, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidGenerationException>(() => GenerationResolver.CheckAsk(new GenerationAsk("p") { Loras = [new(name)] })).Message);

    [Fact]
    public void Keyframes_keep_their_strength_and_are_marked_apart_from_the_image()
    {
        var request = Resolve(new GenerationAsk("p")
        {
            Image = new ImageAsk("i.png", 64, 64),
            Keyframes = [new ImageAsk("k.png", 64, 64, "last", Strength: 0.25)],
        });
        Assert.Equal([(0, 1.0, false), (request.NumFrames - 1, 0.25, true)], request.Images.Select(i => (i.FrameIndex, i.Strength, i.Keyframe)));
        Assert.Contains("'frame_images[0].strength' must be a number between 0 and 1", Assert.Throws<InvalidGenerationException>(() =>
            Resolve(new GenerationAsk("p") { Keyframes = [new ImageAsk("k.png", 64, 64, Strength: 1.5)] })).Message);
    }
}
