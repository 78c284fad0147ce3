using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>distilled</c> (distilled.py): no guidance; the distilled 8-step schedule at half resolution, x2 latent upsampling,
/// the 3-step stage-2 schedule at full resolution. From 2.5 on stage 1 samples with ancestral Euler. A size whose half is
/// off the 32-pixel grid (or a model without upsampler) runs the 8 steps once at full resolution.
/// </summary>
public sealed class DistilledPipeline : IVideoPipeline
{
    private static bool TwoStages(GenerationRequest request, LoadedModel model) =>
        model.Upsampler is not null && PipelineNames.HalvesCleanly(request.Width, request.Height);

    public void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model)
    {
        int first = DistilledSigmas.Stage1.Count - 1;
        if (!TwoStages(request, model))
        {
            plan.Add("denoising", first * VideoPipelines.StepWeight(1, 1), first);
            return;
        }
        int second = DistilledSigmas.Stage2.Count - 1;
        plan.Add("denoising", first * VideoPipelines.StepWeight(0.5, 1), first)
            .Add("upsampling", VideoPipelines.StepWeight(0.5, 1))
            .Add("denoising", second * VideoPipelines.StepWeight(1, 1), second);
    }

    public PipelineLatents Run(PipelineRun run)
    {
        var (request, model) = (run.Request, run.Model);
        var positive = run.Encode(request.Prompt);
        run.Lap("text");
        IDiffusionStep stage1Stepper = model.Files.Version >= new Version(2, 5) ? new EulerAncestralStep() : new EulerStep();
        // A folder whose transformer is the dev checkpoint runs distilled through its distilled LoRA, in both stages.
        run.UseLoras(distilled: !model.Files.TransformerIsDistilled);
        Func<LtxModel, IDenoiser> denoiser = transformer => new SimpleDenoiser(transformer, positive);
        if (!TwoStages(request, model))
        {
            var single = run.Stage(request.Width, request.Height, DistilledSigmas.Stage1, denoiser, stage1Stepper);
            run.Lap("denoise");
            return run.Finish(single.Video, single.Audio);
        }
        var stage1 = run.Stage(request.Width / 2, request.Height / 2, DistilledSigmas.Stage1, denoiser, stage1Stepper);
        run.Lap("denoise");
        var upsampled = run.Upsample(stage1.Video);
        run.Lap("upsample");
        var stage2 = run.Stage(request.Width, request.Height, DistilledSigmas.Stage2, denoiser, new EulerStep(),
            upsampled, stage1.Audio, DistilledSigmas.Stage2[0]);
        upsampled.Dispose();
        stage1.Audio?.Dispose();
        run.Lap("denoise_stage2");
        return run.Finish(stage2.Video, stage2.Audio);
    }
}
