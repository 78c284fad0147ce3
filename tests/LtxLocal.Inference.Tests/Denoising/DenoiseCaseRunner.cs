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
using Xunit;
using Xunit.Abstractions;

namespace LtxLocal.Inference.Tests.Denoising;

/// <summary>
/// Runs one denoise-loop fixture case (components denoise/ and denoise_conditioned/) and checks every out tensor:
/// the initial states (given latents, image conditioning, region masks, noiser, frozen streams), the denoiser's passes
/// and guided x0 per step, the state after every step, and the final unpatchified latents. Geometry, sigmas, guider
/// parameters, sampler, stream specs and tolerances all come from the case files.
/// </summary>
public static partial class DenoiseCaseRunner
{
    public static void Run(string component, string caseName, ITestOutputHelper output)
    {
        using var fixture = new FixtureCase(component, caseName);
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

        Func<LatentState, LatentState>? imageConditioning = null;
        if (call.TryGetProperty("i2v", out var i2v) && i2v.ValueKind == JsonValueKind.Object)
            imageConditioning = state => videoTools.ConditionByLatentIndex(state, fixture.Tensor("in.video.cond_latent"),
                i2v.GetProperty("strength").GetDouble(), i2v.GetProperty("latent_idx").GetInt64());
        var video = StreamStateBuilder.Video(videoTools, Spec(fixture, "video"), DType.Float32, device,
            _ => fixture.Tensor("in.video.noise"), imageConditioning);
        var audio = StreamStateBuilder.Audio(audioTools, Spec(fixture, "audio"), DType.Float32, device, _ => fixture.Tensor("in.audio.noise"));

        var actual = new Dictionary<string, Tensor>
        {
            ["out.video.initial_latent"] = video.Latent.Alias(),
            ["out.audio.initial_latent"] = audio.Latent.Alias(),
            ["out.video.denoise_mask"] = video.DenoiseMask.Alias(),
            ["out.audio.denoise_mask"] = audio.DenoiseMask.Alias(),
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

        double worst = 0;
        foreach (var name in fixture.Outputs())
        {
            Assert.True(actual.TryGetValue(name, out var tensor), $"{caseName}: nothing produced for {name}");
            double error = ParityAssert.MaxError(fixture.Tensor(name, Device.Cpu), tensor!);
            worst = Math.Max(worst, error);
            output.WriteLine($"{caseName} {name}: max error {error:G3} ({fixture.Tolerance(name)})");
            fixture.AssertClose(name, tensor!);
        }
        output.WriteLine($"{component}/{caseName}: worst max error {worst:G3}");
    }

    /// <summary>
    /// The stream's spec from call: given latent in.&lt;m&gt;.initial_latent when present, the noise scale
    /// (&lt;m&gt;_noise_scale, else noise_scale), &lt;m&gt;_frozen, and retake's region when it lists the stream.
    /// </summary>
    private static StreamSpec Spec(FixtureCase fixture, string stream)
    {
        var call = fixture.Call;
        double noiseScale = call.TryGetProperty($"{stream}_noise_scale", out var s) && s.ValueKind == JsonValueKind.Number
            ? s.GetDouble() : call.GetProperty("noise_scale").GetDouble();
        bool frozen = call.TryGetProperty($"{stream}_frozen", out var f) && f.ValueKind == JsonValueKind.True;
        TemporalRegionMask? region = null;
        if (call.TryGetProperty("retake", out var retake) && retake.ValueKind == JsonValueKind.Object
            && retake.GetProperty("streams").EnumerateArray().Any(e => e.GetString() == stream))
        {
            Assert.Equal("TemporalRegionMask", retake.GetProperty("type").GetString());
            region = new TemporalRegionMask(retake.GetProperty("start_time").GetDouble(), retake.GetProperty("end_time").GetDouble(),
                retake.GetProperty("fps").GetDouble());
        }
        var initial = fixture.Has($"in.{stream}.initial_latent") ? fixture.Tensor($"in.{stream}.initial_latent") : null;
        return new StreamSpec { InitialLatent = initial, Region = region, NoiseScale = noiseScale, Frozen = frozen };
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
