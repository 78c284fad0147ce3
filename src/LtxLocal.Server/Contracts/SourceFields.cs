using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// The source fields of audio-to-video, retake and extend as a <see cref="RequestSource"/> without its file: retake's
/// region (start_time, and end_time or duration), extend's added seconds and context, the mode. Whether the values fit
/// the source is the resolver's to say (<see cref="SourceClips"/>), once the source is read.
/// </summary>
public static class SourceFields
{
    public static RequestSource Read(RequestFields f, string task)
    {
        var source = new RequestSource(task, "") { Mode = f.String("mode") };
        switch (task)
        {
            case SourceTasks.Retake:
                var start = f.Number("start_time") ?? throw ApiException.BadRequest("'start_time' is required (seconds from the start of the source)");
                var end = f.Number("end_time");
                var length = f.Number("duration");
                if (end is not null && length is not null) throw ApiException.BadRequest("give either 'end_time' or 'duration', not both");
                var until = end ?? start + (length ?? throw ApiException.BadRequest("'end_time' or 'duration' is required (the region to regenerate)"));
                if (source.Mode is { } mode && !SourceTasks.RetakeModes.Contains(mode))
                    throw ApiException.BadRequest($"'mode' must be one of {string.Join(", ", SourceTasks.RetakeModes)}");
                return source with { Start = start, End = until };
            case SourceTasks.Extend:
                var seconds = f.Number("duration") ?? throw ApiException.BadRequest("'duration' is required: the seconds to add");
                if (source.Mode is { } at && !SourceTasks.ExtendModes.Contains(at))
                    throw ApiException.BadRequest($"'mode' must be one of {string.Join(", ", SourceTasks.ExtendModes)}");
                return source with { Seconds = seconds, Context = f.Number("context") ?? SourceTasks.DefaultContext };
            default:
                return source;
        }
    }
}
