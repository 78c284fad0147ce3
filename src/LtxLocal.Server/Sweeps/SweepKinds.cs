using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Sweeps;

/// <summary>The generation endpoints a sweep can run, by the name <c>kind</c> gives them.</summary>
public static class SweepKinds
{
    public const string TextToVideo = "text-to-video", ImageToVideo = "image-to-video", AudioToVideo = SourceTasks.AudioToVideo;

    public static readonly IReadOnlyList<string> All = [TextToVideo, ImageToVideo, AudioToVideo];

    /// <summary>The fields of the sweep body itself.</summary>
    public static readonly IReadOnlyList<string> BodyFields = ["kind", "request", "axes", "reference_cell"];
}
