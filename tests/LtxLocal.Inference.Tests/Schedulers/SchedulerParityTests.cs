using LtxLocal.Inference.Requests;
using System.Text.Json;
using LtxLocal.Inference.Guidance;
using LtxLocal.Inference.Schedulers;
using LtxLocal.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Schedulers;

/// <summary>
/// Parity with the reference's schedulers, sampler steps and guiders on every case under $LTX_FIXTURES/scheduler.
/// Each case name selects what is exercised; its arguments, shapes and tolerances come from the case files.
/// </summary>
[Trait("Category", "Parity")]
[Trait("Component", "scheduler")]
public class SchedulerParityTests
{
    public static IEnumerable<object[]> Cases() => FixtureCase.CasesOf("scheduler");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string caseName)
    {
        using var fixture = new FixtureCase("scheduler", caseName);
        using var scope = TorchRuntime.NewDisposeScope();
        switch (caseName)
        {
            case "distilled_sigmas": DistilledLists(fixture); break;
            case "ltx2_scheduler": ShiftedSchedules(fixture); break;
            case "euler_step": SamplerSteps(fixture); break;
            case "guiders": Guiders(fixture); break;
            default: throw new InvalidOperationException($"unknown scheduler case '{caseName}': add its procedure here");
        }
    }

    private static Tensor Floats(IReadOnlyList<float> values) => Tensor.From(values.ToArray());

    private static void DistilledLists(FixtureCase fixture)
    {
        fixture.AssertClose("out.distilled_sigmas", Floats(DistilledSigmas.Stage1));
        fixture.AssertClose("out.stage2_distilled_sigmas", Floats(DistilledSigmas.Stage2));
        fixture.AssertClose("out.tdp_distilled_sigmas", Floats(DistilledSigmas.Tdp));
        // The per-generation defaults the pipelines use are the reference's.
        var parameters = fixture.Call.GetProperty("pipeline_params");
        AssertDefaults(parameters.GetProperty("LTX_2_PARAMS"), GenerationParams.Ltx2);
        AssertDefaults(parameters.GetProperty("LTX_2_3_PARAMS"), GenerationParams.Ltx23);
        if (parameters.TryGetProperty("LTX_2_3_HQ_PARAMS", out var hq)) AssertDefaults(hq, GenerationParams.Ltx23Hq);
    }

    private static void AssertDefaults(JsonElement expected, GenerationParams actual)
    {
        Assert.Equal(expected.GetProperty("num_inference_steps").GetInt32(), actual.Steps);
        AssertGuider(expected.GetProperty("video_guider_params"), actual.Video);
        AssertGuider(expected.GetProperty("audio_guider_params"), actual.Audio);
    }

    private static GuiderParams ReadGuider(JsonElement p) => new(
        p.GetProperty("cfg_scale").GetDouble(), p.GetProperty("stg_scale").GetDouble(),
        p.GetProperty("stg_blocks").EnumerateArray().Select(b => b.GetInt32()).ToArray(),
        p.GetProperty("rescale_scale").GetDouble(), p.GetProperty("modality_scale").GetDouble(), p.GetProperty("skip_step").GetInt32());

    private static void AssertGuider(JsonElement expected, GuiderParams actual)
    {
        var e = ReadGuider(expected);
        Assert.Equal((e.CfgScale, e.StgScale, e.RescaleScale, e.ModalityScale, e.SkipStep),
            (actual.CfgScale, actual.StgScale, actual.RescaleScale, actual.ModalityScale, actual.SkipStep));
        Assert.Equal(e.Blocks, actual.Blocks);
    }

    private static void ShiftedSchedules(FixtureCase fixture)
    {
        foreach (var combo in fixture.Call.GetProperty("combos").EnumerateArray())
        {
            var kwargs = combo.GetProperty("kwargs");
            long tokens = combo.GetProperty("latent_shape").ValueKind == JsonValueKind.Array
                ? Ltx2Scheduler.TokensOf(combo.GetProperty("latent_shape").EnumerateArray().Select(d => d.GetInt64()).ToArray())
                : fixture.Call.GetProperty("default_number_of_tokens").GetInt64();
            Assert.Equal(combo.GetProperty("tokens").GetInt64(), tokens);
            var sigmas = Ltx2Scheduler.Sigmas(combo.GetProperty("steps").GetInt32(), tokens,
                kwargs.GetProperty("max_shift").GetDouble(), kwargs.GetProperty("base_shift").GetDouble(),
                kwargs.GetProperty("stretch").GetBoolean(), kwargs.GetProperty("terminal").GetDouble());
            fixture.AssertClose($"out.sigmas.{combo.GetProperty("index").GetInt32()}", Floats(sigmas));
        }
    }

    private static void SamplerSteps(FixtureCase fixture)
    {
        var sigmas = fixture.Tensor("in.sigmas", Device.Cpu).ToArray<float>();
        var indices = fixture.Call.GetProperty("step_indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
        var steps = new (string Name, IDiffusionStep Step)[]
        {
            ("euler", new EulerStep()),
            ("euler_ancestral_eta1", new EulerAncestralStep(1.0)),
            ("euler_ancestral_eta0.5", new EulerAncestralStep(0.5)),
        };
        for (int k = 0; k < indices.Length; k++)
        {
            var sample = fixture.Tensor($"in.sample.{k}");
            var denoised = fixture.Tensor($"in.denoised.{k}");
            var noise = fixture.Tensor($"in.noise.{k}");
            foreach (var (name, step) in steps)
                fixture.AssertClose($"out.{name}.{k}", step.Step(sample, denoised, sigmas, indices[k], noise));
        }
    }

    private static void Guiders(FixtureCase fixture)
    {
        var cond = fixture.Tensor("in.cond");
        var text = fixture.Tensor("in.uncond_text");
        var perturbed = fixture.Tensor("in.uncond_perturbed");
        var modality = fixture.Tensor("in.uncond_modality");
        foreach (var set in fixture.Call.GetProperty("multimodal_param_sets").EnumerateObject())
        {
            var parameters = ReadGuider(set.Value);
            Assert.Equal(set.Value.GetProperty("uses_uncond_text").GetBoolean(), parameters.UsesUnconditionalText);
            Assert.Equal(set.Value.GetProperty("uses_perturbed").GetBoolean(), parameters.UsesPerturbed);
            Assert.Equal(set.Value.GetProperty("uses_modality").GetBoolean(), parameters.UsesIsolatedModality);
            var guider = new MultiModalGuider(parameters);
            fixture.AssertClose($"out.multimodal.{set.Name}", guider.Calculate(cond,
                parameters.UsesUnconditionalText ? text : null,
                parameters.UsesPerturbed ? perturbed : null,
                parameters.UsesIsolatedModality ? modality : null));
        }
        if (fixture.Has("out.cfg_delta_3")) fixture.AssertClose("out.cfg_delta_3", MultiModalGuider.CfgDelta(cond, text, 3));
        if (fixture.Has("out.stg_delta_1")) fixture.AssertClose("out.stg_delta_1", MultiModalGuider.StgDelta(cond, perturbed, 1));
    }
}
