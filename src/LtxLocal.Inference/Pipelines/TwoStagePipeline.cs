namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>two-stage</c> (ti2vid_two_stages.py): stage 1 guided at half resolution over the request's steps, x2 latent
/// upsampling, stage 2 unguided with the distilled LoRA fused in after the request's LoRAs (which both stages carry) and
/// the stage-2 schedule at full resolution. The audio of stage 1, denoised under the full guidance, is kept.
/// </summary>
public sealed class TwoStagePipeline : IVideoPipeline
{
    public void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model)
    {
        int first = request.Steps!.Value, second = DistilledSigmas.Stage2.Count - 1;
        plan.Add("denoising", first * VideoPipelines.StepWeight(0.5, request.Guidance!.Disabled ? 1 : 4), first)
            .Add("upsampling", VideoPipelines.StepWeight(0.5, 1))
            .Add("denoising", second * VideoPipelines.StepWeight(1, 1), second);
    }

    public PipelineLatents Run(PipelineRun run)
    {
        var (request, model) = (run.Request, run.Model);
        if (model.Upsampler is null || !PipelineNames.HalvesCleanly(request.Width, request.Height))
            throw new ArgumentException(
                $"the two-stage pipeline needs the x2 latent upsampler and a width and height in multiples of 64 (got {request.Width}x{request.Height})");
        var positive = run.Encode(request.Prompt);
        var negative = run.Encode(request.NegativePrompt!);
        run.Lap("text");
        run.UseLoras();
        var stage1 = run.Stage(request.Width / 2, request.Height / 2, Ltx2Scheduler.Sigmas(request.Steps!.Value), run.Guided(positive, negative),
            new EulerStep());
        run.Lap("denoise");
        var upsampled = run.Upsample(stage1.Video);
        run.Lap("upsample");
        run.UseLoras(distilled: true);
        var stage2 = run.Stage(request.Width, request.Height, DistilledSigmas.Stage2,
            transformer => new SimpleDenoiser(transformer, positive), new EulerStep(), upsampled, stage1.Audio, DistilledSigmas.Stage2[0]);
        upsampled.Dispose();
        stage2.Audio?.Dispose();
        run.Lap("denoise_stage2");
        return run.Finish(stage2.Video, stage1.Audio);
    }
}
