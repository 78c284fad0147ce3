namespace LtxLocal.Inference.Requests;

/// <summary>
/// The media a request edits or follows, and how (<see cref="SourceTasks"/>): the driving soundtrack of audio-to-video,
/// or the clip a retake or an extension works on. <see cref="File"/> is the stored input ("" while a caller still holds
/// the bytes, like <see cref="ImageAsk.File"/>). Times are in seconds of the source.
/// </summary>
public sealed record RequestSource(string Task, string File)
{
    /// <summary>retake: the region regenerated, [<see cref="Start"/>, <see cref="End"/>).</summary>
    public double Start { get; init; }

    public double End { get; init; }

    /// <summary>retake: replace_audio_and_video | replace_video | replace_audio; extend: end | start.</summary>
    public string? Mode { get; init; }

    /// <summary>extend: seconds of the source the model sees next to the new span.</summary>
    public double Context { get; init; }

    /// <summary>extend: the seconds asked to be added.</summary>
    public double Seconds { get; init; }

    /// <summary>extend, resolved: the frames added to the source (the new span, at the clip's fps).</summary>
    public int AddedFrames { get; init; }

    /// <summary>extend, resolved: the source frames the model sees (8k+1 at the end, 8k at the start).</summary>
    public int ContextFrames { get; init; }

    /// <summary>retake/extend: the source's frame count and frame rate as its container states them.</summary>
    public int SourceFrames { get; init; }

    public double SourceFps { get; init; }

    /// <summary>retake/extend: whether the source has a soundtrack.</summary>
    public bool SourceHasAudio { get; init; }
}
