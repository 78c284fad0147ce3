using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Contracts;

/// <summary>
/// Reads a body into a <see cref="SubmissionRequest"/>: unknown fields refused by name, each known one checked for its
/// type and shape (a JSON number where a number goes, WIDTHxHEIGHT, a keyframe object). What the values may be
/// (ranges, frame rates, pipelines, defaults) is the resolver's to say, the same for the server and the CLI.
/// </summary>
public sealed partial class GenerationRequestParser(ServerOptions options, UrlPolicy urlPolicy)
{
    private const int MaxFrameImages = 8, MaxNumberResults = 4;

    // [0-9], not \d: \d also matches Arabic-Indic, fullwidth and other digits that int.Parse refuses.
    [GeneratedRegex(@"^\s*([0-9]{1,6})\s*[xX]\s*([0-9]{1,6})\s*$")]
    private static partial Regex ResolutionPattern();

    public SubmissionRequest Parse(RequestFields f, bool imageToVideo)
    {
        var known = imageToVideo ? KnownFields.ImageToVideo : KnownFields.Generation;
        foreach (var name in f.Names)
            if (!imageToVideo && name is "image_uri" or "image") throw ApiException.BadRequest("text-to-video takes no image; send it to /v1/image-to-video");
        return Parse(f, known, imageToVideo);
    }

    /// <summary>
    /// audio-to-video, retake and extend: the common fields plus the source's (<see cref="SourceFields"/>); the media
    /// itself is loaded by the endpoint. For retake and extend 'duration' belongs to the source, not the clip.
    /// </summary>
    public SubmissionRequest ParseSource(RequestFields f, string task)
    {
        var known = task switch
        {
            SourceTasks.AudioToVideo => KnownFields.AudioToVideo,
            SourceTasks.Retake => KnownFields.Retake,
            _ => KnownFields.Extend,
        };
        var request = Parse(f, known, imageToVideo: task == SourceTasks.AudioToVideo);
        var source = SourceFields.Read(f, task);
        var ask = task == SourceTasks.AudioToVideo ? request.Ask with { Source = source } : request.Ask with { Source = source, Duration = null };
        return request with { Ask = ask, MediaUri = f.String(task == SourceTasks.AudioToVideo ? "audio_uri" : "video_uri") };
    }

    private SubmissionRequest Parse(RequestFields f, IReadOnlyList<string> known, bool imageToVideo)
    {
        foreach (var name in f.Names)
            if (KnownFields.Problem(name, known) is { } problem) throw ApiException.BadRequest(problem);
        var model = f.String("model");
        if (string.IsNullOrWhiteSpace(model)) throw ApiException.BadRequest("'model' is required: a model id or alias from GET /v1/models, e.g. \"Lightricks/LTX-2\"");
        var ask = new GenerationAsk(Text(f, "prompt", required: true)!)
        {
            NegativePrompt = Text(f, "negative_prompt", required: false),
            Pipeline = f.String("pipeline"),
            Resolution = Resolution(f.String("resolution")),
            Duration = f.Number("duration"),
            Fps = f.Number("fps"),
            Seed = f.Integer("seed"),
            Steps = f.Integer("steps"),
            GuidanceScale = f.Number("guidance_scale"),
            StgScale = f.Number("stg_scale"),
            GenerateAudio = f.Boolean("generate_audio"),
            EnhancePrompt = f.Boolean("enhance_prompt") ?? false,
            OutputFormat = f.String("output_format"),
            OutputQuality = f.Integer("output_quality"),
            Loras = Loras(f),
        };
        GenerationResolver.CheckAsk(ask); // every 400 before a 503 for a missing model
        var results = f.Integer("number_results") ?? 1;
        if (results is < 1 or > MaxNumberResults) throw ApiException.BadRequest($"'number_results' must be an integer from 1 to {MaxNumberResults}");
        return new SubmissionRequest(model, ask, imageToVideo ? f.String("image_uri") : null, FrameImages(f), (int)results,
            OutboundUrl(f, "webhook_url"), OutboundUrl(f, "upload_url"), f.Boolean("dry_run") ?? false,
            f.Integer("ttl"), f.Boolean("include_cost") ?? false, Safety(f));
    }

    /// <summary>safety: {check_inputs, check_content}, booleans; asking for a check needs a checker (Ltx:Safety).</summary>
    private SafetyAsk? Safety(RequestFields f)
    {
        if (f.Object("safety") is not { } item) return null;
        foreach (var property in item.EnumerateObject())
            if (KnownFields.Problem(property.Name, KnownFields.Safety, "safety.") is { } problem) throw ApiException.BadRequest(problem);
        bool Flag(string name) => item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw ApiException.BadRequest($"'safety.{name}' must be true or false"),
        } : false;
        var ask = new SafetyAsk(Flag("check_inputs"), Flag("check_content"));
        if (ask.Any && !options.Safety.Configured)
            throw ApiException.BadRequest("'safety' asks for a content check, but this server has no content checker configured (Ltx:Safety:Url or Ltx:Safety:Command)");
        return ask;
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
        if (!match.Success) throw ApiException.BadRequest("'resolution' must be WIDTHxHEIGHT in ASCII digits, e.g. \"1280x704\"");
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

    /// <summary>loras: [{"name", "strength"}], names and strengths checked by the resolver (the model's loras/ decides which names exist).</summary>
    private static List<RequestLora> Loras(RequestFields f)
    {
        var list = new List<RequestLora>();
        foreach (var (item, at) in Entries(f, "loras", RequestLora.MaxPerRequest, KnownFields.Lora, "{\"name\", \"strength\"}"))
        {
            if (!item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
                throw ApiException.BadRequest($"'{at}.name' is required: a LoRA name from GET /v1/models");
            list.Add(new RequestLora(name.GetString()!, OptionalNumber(item, "strength", at) ?? RequestLora.DefaultStrength));
        }
        return list;
    }

    /// <summary>
    /// The entries of a list field (at most <paramref name="max"/>), each an object whose members are all in
    /// <paramref name="known"/>, with its place for messages ("loras[0]").
    /// </summary>
    private static List<(JsonElement Item, string At)> Entries(RequestFields f, string field, int max, IReadOnlyList<string> known, string shape)
    {
        var entries = new List<(JsonElement, string)>();
        if (f.Array(field) is not { } array) return entries;
        if (array.GetArrayLength() > max) throw ApiException.BadRequest($"'{field}' takes at most {max} entries");
        foreach (var item in array.EnumerateArray())
        {
            var at = $"{field}[{entries.Count}]";
            if (item.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"'{at}' must be an object {shape}");
            foreach (var property in item.EnumerateObject())
                if (KnownFields.Problem(property.Name, known, at + ".") is { } problem) throw ApiException.BadRequest(problem);
            entries.Add((item, at));
        }
        return entries;
    }

    /// <summary>A number member of a list entry, or null when absent or null.</summary>
    private static double? OptionalNumber(JsonElement item, string name, string at) =>
        !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) ? number
        : throw ApiException.BadRequest($"'{at}.{name}' must be a number");

    private static List<FrameImageRef> FrameImages(RequestFields f)
    {
        var list = new List<FrameImageRef>();
        foreach (var (item, at) in Entries(f, "frame_images", MaxFrameImages, KnownFields.FrameImage, "{\"image_uri\", \"frame\", \"strength\"}"))
        {
            if (!item.TryGetProperty("image_uri", out var uri) || uri.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(uri.GetString()))
                throw ApiException.BadRequest($"'{at}.image_uri' is required and must be a string");
            if (!item.TryGetProperty("frame", out var frame)) throw ApiException.BadRequest($"'{at}.frame' is required: \"first\", \"last\" or a frame index");
            var strength = OptionalNumber(item, "strength", at) ?? 1.0;
            GenerationResolver.CheckImageStrength(strength, at + ".strength");
            list.Add(frame.ValueKind switch
            {
                JsonValueKind.String when frame.GetString() is "first" or "last" => new FrameImageRef(uri.GetString()!, frame.GetString()!, null, strength),
                JsonValueKind.Number when frame.TryGetInt32(out var index) && index >= 0 => new FrameImageRef(uri.GetString()!, index.ToString(), index, strength),
                _ => throw ApiException.BadRequest($"'{at}.frame' must be \"first\", \"last\" or a frame index of 0 or more"),
            });
        }
        return list;
    }
}
