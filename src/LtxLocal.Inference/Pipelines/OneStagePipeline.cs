namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// <c>one-stage</c> (ti2vid_one_stage.py): the shifted LTX-2 schedule over the request's steps at full resolution,
/// multi-modal guidance with the request's CFG scales and the generation's STG / modality / rescale settings, negative prompt.
/// </summary>
public sealed class OneStagePipeline : IVideoPipeline
{
    public void PlanProgress(ProgressPlan plan, Requests.GenerationRequest request, LoadedModel model)
    {
        int steps = request.Steps!.Value;
        plan.Add("denoising", steps * VideoPipelines.StepWeight(1, request.Guidance!.Disabled ? 1 : 4), steps);
    }

    public PipelineLatents Run(PipelineRun run)
    {
        var request = run.Request;
        var positive = run.Encode(request.Prompt);
        var negative = run.Encode(request.NegativePrompt!);
        run.Lap("text");
        run.UseLoras();
        var stage = run.Stage(request.Width, request.Height, Ltx2Scheduler.Sigmas(request.Steps!.Value), run.Guided(positive, negative), new EulerStep());
        run.Lap("denoise");
        return run.Finish(stage.Video, stage.Audio);
    }
}
