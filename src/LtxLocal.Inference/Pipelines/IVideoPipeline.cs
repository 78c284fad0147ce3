namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// One pipeline (the reference's distilled.py, ti2vid_one_stage.py, ...): composes the blocks of <see cref="LoadedModel"/>
/// from prompt to final latents. <see cref="PlanProgress"/> adds its parts (denoising stages, upsampling) with their share
/// of the work; <see cref="Run"/> reports on them. A new pipeline is one more class, named in <see cref="VideoPipelines"/>.
/// </summary>
public interface IVideoPipeline
{
    void PlanProgress(ProgressPlan plan, GenerationRequest request, LoadedModel model);

    PipelineLatents Run(PipelineRun run);
}
