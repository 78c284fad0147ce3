namespace LtxLocal.Inference.Requests;

/// <summary>
/// The requests that start from media rather than from noise alone, as <see cref="RequestSource.Task"/> names them, and
/// the modes they take. Each runs its own pipeline class (see Pipelines.VideoPipelines.For).
/// </summary>
public static class SourceTasks
{
    public const string AudioToVideo = "audio-to-video", Retake = "retake", Extend = "extend";

    public const string ReplaceAudioAndVideo = "replace_audio_and_video", ReplaceVideo = "replace_video", ReplaceAudio = "replace_audio";

    public static readonly IReadOnlyList<string> RetakeModes = [ReplaceAudioAndVideo, ReplaceVideo, ReplaceAudio];

    public const string AtEnd = "end", AtStart = "start";

    public static readonly IReadOnlyList<string> ExtendModes = [AtEnd, AtStart];

    /// <summary>The seconds of source an extension sees when the request does not say.</summary>
    public const double DefaultContext = 2;
}
