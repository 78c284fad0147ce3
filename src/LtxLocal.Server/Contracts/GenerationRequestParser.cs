using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LtxLocal.Media;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Inputs;

namespace LtxLocal.Server.Contracts;

/// <summary>A request whose fields are each well-formed; sizes are still as asked (the planner adjusts them).</summary>
public sealed record ParsedRequest(
    string Model, string Prompt, string? NegativePrompt, double? Duration, (int Width, int Height)? Resolution,
    double Fps, long? Seed, string Pipeline, int? Steps, double? GuidanceScale, bool GenerateAudio,
    IReadOnlyList<FrameImageRef> FrameImages, int NumberResults, string OutputFormat, int OutputQuality,
    bool EnhancePrompt, string? WebhookUrl, string? UploadUrl, bool DryRun, string? ImageUri);

/// <summary>A keyframe: its image_uri and the frame it pins ("first", "last" or an index).</summary>
public sealed record FrameImageRef(string ImageUri, string Frame, int? Index);

/// <summary>Checks each field against api.md's rules; the first problem found is the 400's message.</summary>
public sealed partial class GenerationRequestParser(ServerOptions options, UrlPolicy urlPolicy)
{
    public static readonly string[] Pipelines = ["distilled", "one-stage", "two-stage"];
    private static readonly double[] FrameRates = [24, 25, 48, 50];
    private const int MaxFrameImages = 8;

    [GeneratedRegex(@"^\s*(\d{1,6})\s*[xX]\s*(\d{1,6})\s*$")]
    private static partial Regex ResolutionPattern();

    public ParsedRequest Parse(RequestFields f, bool imageToVideo)
    {
        var model = f.String("model");
        if (string.IsNullOrWhiteSpace(model)) throw ApiException.BadRequest("'model' is required: a model id or alias from GET /v1/models, e.g. \"Lightricks/LTX-2\"");
        var prompt = Text(f, "prompt", required: true)!;
        var negative = Text(f, "negative_prompt", required: false);

        var fps = f.Number("fps") ?? 25;
        if (!FrameRates.Contains(fps)) throw ApiException.BadRequest("'fps' must be 25 or 50 (24 and 48 are also accepted)");

        var pipeline = f.String("pipeline") ?? "distilled";
        if (!Pipelines.Contains(pipeline)) throw ApiException.BadRequest($"'pipeline' must be one of {string.Join(", ", Pipelines)}");

        var format = f.String("output_format") ?? "mp4";
        if (!OutputFormats.TryParse(format, out _)) throw ApiException.BadRequest("'output_format' must be mp4, webm or mov");

        if (!imageToVideo && (f.Has("image_uri") || f.Has("image")))
            throw ApiException.BadRequest("text-to-video takes no image; send it to /v1/image-to-video");

        return new ParsedRequest(
            model, prompt, negative, f.Number("duration"), Resolution(f.String("resolution")), fps,
            f.Integer("seed", 0, uint.MaxValue), pipeline,
            (int?)f.Integer("steps", 1, 100), f.Number("guidance_scale", 1, 20),
            f.Boolean("generate_audio") ?? true, FrameImages(f),
            (int)(f.Integer("number_results", 1, 4) ?? 1), format,
            (int)(f.Integer("output_quality", QualityCurve.MinQuality, QualityCurve.MaxQuality) ?? 95),
            f.Boolean("enhance_prompt") ?? false,
            OutboundUrl(f, "webhook_url"), OutboundUrl(f, "upload_url"),
            f.Boolean("dry_run") ?? false,
            imageToVideo ? f.String("image_uri") : null);
    }

    private string? Text(RequestFields f, string name, bool required)
    {
        var text = f.String(name);
        if (required && string.IsNullOrWhiteSpace(text)) throw ApiException.BadRequest($"'{name}' is required and must not be empty");
        if (text is not null && text.Length > options.MaxPromptChars)
            throw ApiException.BadRequest($"'{name}' is {text.Length} characters; the limit is {options.MaxPromptChars}");
        return text;
    }

    private static (int, int)? Resolution(string? text)
    {
        if (text is null) return null;
        var match = ResolutionPattern().Match(text);
        if (!match.Success) throw ApiException.BadRequest("'resolution' must be WIDTHxHEIGHT, e.g. \"1280x704\"");
        var width = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var height = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (width == 0 || height == 0) throw ApiException.BadRequest("'resolution' must have a width and a height above 0");
        return (width, height);
    }

    private string? OutboundUrl(RequestFields f, string name)
    {
        var url = f.String(name);
        if (url is not null) urlPolicy.CheckUrl(url, name);
        return url;
    }

    private static List<FrameImageRef> FrameImages(RequestFields f)
    {
        var list = new List<FrameImageRef>();
        if (f.Array("frame_images") is not { } array) return list;
        if (array.GetArrayLength() > MaxFrameImages) throw ApiException.BadRequest($"'frame_images' takes at most {MaxFrameImages} entries");
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"frame_images[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"'{at}' must be an object {{\"image_uri\", \"frame\"}}");
            if (!item.TryGetProperty("image_uri", out var uri) || uri.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(uri.GetString()))
                throw ApiException.BadRequest($"'{at}.image_uri' is required and must be a string");
            if (!item.TryGetProperty("frame", out var frame)) throw ApiException.BadRequest($"'{at}.frame' is required: \"first\", \"last\" or a frame index");
            list.Add(frame.ValueKind switch
            {
                JsonValueKind.String when frame.GetString() is "first" or "last" => new FrameImageRef(uri.GetString()!, frame.GetString()!, null),
                JsonValueKind.Number when frame.TryGetInt32(out var index) && index >= 0 => new FrameImageRef(uri.GetString()!, index.ToString(), index),
                _ => throw ApiException.BadRequest($"'{at}.frame' must be \"first\", \"last\" or a frame index of 0 or more"),
            });
        }
        return list;
    }
}
