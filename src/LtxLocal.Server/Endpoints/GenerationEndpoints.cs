using LtxLocal.Server.ApiDocs;

namespace LtxLocal.Server.Endpoints;

/// <summary>POST /v1/text-to-video and /v1/image-to-video: read, validate, hand to the submission service.</summary>
public static class GenerationEndpoints
{
    public static void MapGenerationEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/text-to-video", (HttpContext http, GenerationRequestParser parser, SubmissionService submissions, IOptions<ServerOptions> options) =>
            SubmitAsync(http, parser, submissions, options.Value, imageToVideo: false, images: null))
            .Body(KnownFields.Generation).Submission().WithName("TextToVideo");
        v1.MapPost("/image-to-video", (HttpContext http, GenerationRequestParser parser, SubmissionService submissions, ImageInputs images, IOptions<ServerOptions> options) =>
            SubmitAsync(http, parser, submissions, options.Value, imageToVideo: true, images))
            .Body(KnownFields.ImageToVideo, "image").Submission().WithName("ImageToVideo");
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext http, GenerationRequestParser parser, SubmissionService submissions, ServerOptions options, bool imageToVideo, ImageInputs? images)
    {
        var token = http.RequestAborted;
        var content = await RequestBody.ReadAsync(http.Request, options, allowMultipart: imageToVideo);
        var request = parser.Parse(content.Fields, imageToVideo);
        var image = images is null ? null : await LoadImageAsync(images, content, request, options, token);
        if (request.DryRun) return TypedResults.Ok(await submissions.PlanAsync(request, image, token));
        var accepted = await submissions.SubmitAsync(request, image, token);
        return TypedResults.Accepted($"/v1/jobs/{accepted.Id}", accepted);
    }

    /// <summary>Image-to-video takes exactly one of: a multipart file 'image', or 'image_uri' (http(s) URL or data URI).</summary>
    internal static async Task<LoadedImage> LoadImageAsync(ImageInputs images, RequestContent content, SubmissionRequest request, ServerOptions options, CancellationToken token)
    {
        if (content.Image is not null && request.ImageUri is not null)
            throw ApiException.BadRequest("give either an 'image' file or 'image_uri', not both");
        if (content.Image is { } file)
        {
            if (file.Length > options.MaxImageBytes) throw ApiException.BadRequest($"'image' is {file.Length} bytes; the limit is {options.MaxImageBytes}");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, token);
            return await images.FromBytesAsync(buffer.ToArray(), "image", token);
        }
        if (request.ImageUri is null)
            throw ApiException.BadRequest("image-to-video needs an image: 'image_uri' (http(s) URL or data:image/...;base64 URI) or a multipart file 'image'");
        return await images.FromUriAsync(request.ImageUri, "image_uri", token);
    }
}
