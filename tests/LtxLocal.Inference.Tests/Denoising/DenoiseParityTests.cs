using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Guidance;
using LtxLocal.Inference.Schedulers;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Testing;
using LtxLocal.Torch;
using Xunit.Abstractions;

namespace LtxLocal.Inference.Tests.Denoising;

/// <summary>
/// The denoising loop against the reference on every case under $LTX_FIXTURES/denoise: initial state (conditioning +
/// noiser), the denoiser's passes and guided x0 per step, the state after every step, and the final unpatchified
/// latents. Geometry, sigmas, guider parameters, sampler and tolerances all come from the case files.
/// </summary>
[Trait("Category", "Parity")]
[Trait("Component", "denoise")]
public sealed partial class DenoiseParityTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() => FixtureCase.CasesOf("denoise");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loop_matches_the_reference(string caseName)
    {
        using var fixture = new FixtureCase("denoise", caseName);
        using var scope = TorchRuntime.NewDisposeScope();
        var call = fixture.Call;
        var device = TestDevice.Current;
        using var model = TransformerLoader.Load(fixture.WeightsPath, new TransformerLoadOptions { Device = device, DType = DType.Float32 });

        var geometry = call.GetProperty("geometry");
        var videoShape = Longs(geometry.GetProperty("video_latent_shape"));
        var audioShape = Longs(geometry.GetProperty("audio_latent_shape"));
        var videoTools = VideoLatentTools.FromPixels(videoShape[0], videoShape[1], geometry.GetProperty("pixel_frames").GetInt64(),
            geometry.GetProperty("height").GetInt64(), geometry.GetProperty("width").GetInt64(), geometry.GetProperty("fps").GetDouble());
        var audioTools = new AudioLatentTools(audioShape[0], audioShape[1], audioShape[2], audioShape[3]);
        double noiseScale = call.GetProperty("noise_scale").GetDouble();

        var video = videoTools.CreateInitialState(DType.Float32, device);
        if (call.TryGetProperty("i2v", out var i2v) && i2v.ValueKind == JsonValueKind.Object)
            video = videoTools.ConditionByLatentIndex(video, fixture.Tensor("in.video.cond_latent"), i2v.GetProperty("strength").GetDouble(),
                i2v.GetProperty("latent_idx").GetInt64());
        video = video.Noised(fixture.Tensor("in.video.noise"), noiseScale);
        var audio = audioTools.CreateInitialState(DType.Float32, device).Noised(fixture.Tensor("in.audio.noise"), noiseScale);

        var actual = new Dictionary<string, Tensor>
        {
            ["out.video.initial_latent"] = video.Latent.Alias(),
            ["out.audio.initial_latent"] = audio.Latent.Alias(),
        };
        var positive = new PromptContext(fixture.Tensor("in.video.context"), fixture.Tensor("in.audio.context"));
        IDenoiser denoiser = call.GetProperty("denoiser").GetString() switch
        {
            "SimpleDenoiser" => new SimpleDenoiser(model, positive),
            "FactoryGuidedDenoiser" => new GuidedDenoiser(model, positive,
                new PromptContext(fixture.Tensor("in.video.neg_context"), fixture.Tensor("in.audio.neg_context")),
                Guider(call.GetProperty("video_guider")), Guider(call.GetProperty("audio_guider")))
            {
                PassObserver = (step, name, x0) => { if (step == 0) actual[$"out.{name.Replace(".", ".step0_pass.")}"] = x0.Alias().DetachFromScope(); },
            },
            var other => throw new InvalidOperationException($"unknown denoiser '{other}' in {caseName}"),
        };
        var loop = new DenoisingLoop(Sampler(call.GetProperty("loop").GetString()!))
        {
            StepNoise = (stream, step, _) => fixture.Tensor($"in.step_noise.{stream}.{step}"),
            StepObserver = (step, stream, x0, state) =>
            {
                actual[$"out.{stream}.denoised.{step}"] = x0.Alias().DetachFromScope();
                actual[$"out.{stream}.after_step.{step}"] = state.Latent.Alias().DetachFromScope();
            },
        };
        var sigmas = fixture.Tensor("in.sigmas", Device.Cpu).ToArray<float>();
        var (finalVideo, finalAudio) = loop.Run(denoiser, video, audio, sigmas);

        var cleared = videoTools.ClearConditioning(finalVideo!);
        actual["out.video.latent"] = VideoLatentPatchifier.Unpatchify(cleared.Latent, videoTools.Frames, videoTools.Height, videoTools.Width);
        actual["out.audio.latent"] = audioTools.Unpatchify(finalAudio!);

        foreach (var name in fixture.Outputs())
        {
            Assert.True(actual.TryGetValue(name, out var tensor), $"{caseName}: nothing produced for {name}");
            output.WriteLine($"{caseName} {name}: max error {ParityAssert.MaxError(fixture.Tensor(name, Device.Cpu), tensor!):G3} ({fixture.Tolerance(name)})");
            fixture.AssertClose(name, tensor!);
        }
    }

    private static long[] Longs(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt64()).ToArray();

    private static GuiderParams Guider(JsonElement g) => new(
        g.GetProperty("cfg_scale").GetDouble(), g.GetProperty("stg_scale").GetDouble(),
        g.GetProperty("stg_blocks").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
        g.GetProperty("rescale_scale").GetDouble(), g.GetProperty("modality_scale").GetDouble(), g.GetProperty("skip_step").GetInt32());

    /// <summary>"euler_denoising_loop + EulerDiffusionStep" or "... EulerAncestralDiffusionStep(eta=1.0, s_noise=1.0)".</summary>
    private static IDiffusionStep Sampler(string loop)
    {
        if (!loop.Contains("Ancestral", StringComparison.Ordinal)) return new EulerStep();
        double Arg(string name) => AncestralArg().Matches(loop).Where(m => m.Groups[1].Value == name)
            .Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(1.0).First();
        return new EulerAncestralStep(Arg("eta"), Arg("s_noise"));
    }

    [GeneratedRegex(@"(eta|s_noise)=([0-9.eE+-]+)")]
    private static partial Regex AncestralArg();
}
