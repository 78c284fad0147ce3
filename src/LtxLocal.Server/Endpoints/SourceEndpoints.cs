using LtxLocal.Inference.Requests;
using LtxLocal.Server.ApiDocs;

namespace LtxLocal.Server.Endpoints;

/// <summary>
/// POST /v1/audio-to-video, /v1/retake and /v1/extend: the body (JSON, or multipart with the media file), the media
/// loaded and validated (every refusal a 400 before anything is stored or queued), the source's facts put on the ask
/// (the soundtrack's length as the default duration; the clip's size, frame rate and frame count), then the
/// submission service as for any generation.
/// </summary>
public static class SourceEndpoints
{
    public static void MapSourceEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        foreach (var task in new[] { SourceTasks.AudioToVideo, SourceTasks.Retake, SourceTasks.Extend })
            v1.MapPost("/" + task, (HttpContext http, GenerationRequestParser parser, SubmissionService submissions, ImageInputs images, MediaInputs media,
                IOptions<ServerOptions> options) => SubmitAsync(http, task, parser, submissions, images, media, options.Value))
                .Body(task switch
                {
                    SourceTasks.AudioToVideo => KnownFields.AudioToVideo,
                    SourceTasks.Retake => KnownFields.Retake,
                    _ => KnownFields.Extend,
                }, task == SourceTasks.AudioToVideo ? ["audio", "image"] : ["video"])
                .Submission().WithName(task switch { SourceTasks.AudioToVideo => "AudioToVideo", SourceTasks.Retake => "Retake", _ => "Extend" });
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, string task, GenerationRequestParser parser, SubmissionService submissions,
        ImageInputs images, MediaInputs media, ServerOptions options)
    {
        var token = http.RequestAborted;
        bool audioToVideo = task == SourceTasks.AudioToVideo;
        var name = audioToVideo ? "audio" : "video";
        var content = await RequestBody.ReadAsync(http.Request, options, allowMultipart: true, audioToVideo ? ["audio", "image"] : ["video"]);
        var request = parser.ParseSource(content.Fields, task);
        var bytes = await media.BytesAsync(content.File(name), request.MediaUri, name, token);
        var ask = request.Ask;
        if (audioToVideo)
        {
            var audio = await media.AudioAsync(bytes, content.File(name) is null ? "audio_uri" : "audio", token);
            ask = ask with { Duration = ask.Duration ?? Math.Round(audio.Duration, 4) };
        }
        else
        {
            var video = await media.VideoAsync(bytes, content.File(name) is null ? "video_uri" : "video", token);
            ask = ask with
            {
                Resolution = (video.Width, video.Height),
                Source = ask.Source! with { SourceFrames = video.Frames, SourceFps = video.Fps, SourceHasAudio = video.HasAudio },
            };
        }
        request = request with { Ask = ask };
        var image = audioToVideo && (content.Image is not null || request.ImageUri is not null) ? await GenerationEndpoints.LoadImageAsync(images, content, request, options, token) : null;
        if (request.DryRun) return TypedResults.Ok(await submissions.PlanAsync(request, image, token));
        var accepted = await submissions.SubmitAsync(request, image, token, bytes);
        return TypedResults.Accepted($"/v1/jobs/{accepted.Id}", accepted);
    }
}
