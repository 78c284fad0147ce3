namespace LtxLocal.Inference.Pipelines;

/// <summary>The class that runs each pipeline name; the one place a new pipeline is registered.</summary>
public static class VideoPipelines
{
    public static IVideoPipeline For(string pipeline) => pipeline switch
    {
        PipelineNames.Distilled => new DistilledPipeline(),
        PipelineNames.OneStage => new OneStagePipeline(),
        PipelineNames.TwoStage => new TwoStagePipeline(),
        _ => throw new ArgumentException($"unknown pipeline '{pipeline}'; use {string.Join(", ", PipelineNames.All)}"),
    };

    /// <summary>Work of one denoising step at <paramref name="scale"/> of the full resolution with <paramref name="passes"/> transformer calls, in full-resolution calls.</summary>
    public static double StepWeight(double scale, int passes) => scale * scale * passes;
}
