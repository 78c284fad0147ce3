namespace LtxLocal.Inference.Pipelines;

/// <summary>The class that runs each pipeline name; the one place a new pipeline is registered.</summary>
public static class VideoPipelines
{
    /// <summary>The request's pipeline: its source task's (audio-to-video, retake, extend) when it has one, else its pipeline name's.</summary>
    public static IVideoPipeline For(GenerationRequest request) => request.Source?.Task switch
    {
        null => For(request.Pipeline),
        SourceTasks.AudioToVideo => new AudioToVideoPipeline(),
        SourceTasks.Retake => new RetakePipeline(),
        SourceTasks.Extend => new ExtendPipeline(),
        var task => throw new ArgumentException($"unknown source task '{task}'"),
    };

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
