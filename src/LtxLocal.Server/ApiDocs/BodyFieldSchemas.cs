using Microsoft.OpenApi;

namespace LtxLocal.Server.ApiDocs;

/// <summary>
/// The JSON schema of each generation body field (types and a line from docs/api.md), and the request body built from an
/// endpoint's <see cref="BodyFields"/>: <c>application/json</c>, plus <c>multipart/form-data</c> (the same fields as form
/// values, the files as binary parts) where the endpoint takes files.
/// </summary>
public static class BodyFieldSchemas
{
    public static OpenApiRequestBody RequestBody(BodyFields body)
    {
        var content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = Object(body.Fields, []) } };
        if (body.Files.Count > 0) content["multipart/form-data"] = new() { Schema = Object(body.Fields, body.Files) };
        return new OpenApiRequestBody { Required = true, Content = content };
    }

    private static OpenApiSchema Object(IReadOnlyList<string> fields, IReadOnlyList<string> files)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in fields) properties[field] = files.Contains(field) ? Binary(field) : Field(field);
        foreach (var file in files) properties[file] = Binary(file);
        return new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties, Required = new HashSet<string> { "prompt" } };
    }

    private static OpenApiSchema Binary(string name) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = $"the {name} file (multipart only; or {name}_uri)" };

    private static OpenApiSchema Field(string name) => name switch
    {
        "prompt" or "negative_prompt" or "model" or "pipeline" or "webhook_url" or "upload_url" or "image_uri" or "audio_uri" or "video_uri" =>
            Scalar(JsonSchemaType.String, Descriptions.GetValueOrDefault(name)),
        "resolution" => Scalar(JsonSchemaType.String, "WIDTHxHEIGHT, e.g. 1280x704 (snapped and scaled, see adjustments)"),
        "output_format" => Scalar(JsonSchemaType.String, "mp4 (default), webm or mov"),
        "mode" => Scalar(JsonSchemaType.String, "retake: replace_audio_and_video | replace_video | replace_audio; extend: end | start"),
        "duration" or "fps" or "guidance_scale" or "start_time" or "end_time" or "context" => Scalar(JsonSchemaType.Number, Descriptions.GetValueOrDefault(name)),
        "seed" or "steps" or "number_results" or "output_quality" or "ttl" => Scalar(JsonSchemaType.Integer, Descriptions.GetValueOrDefault(name)),
        "generate_audio" or "enhance_prompt" or "dry_run" or "include_cost" => Scalar(JsonSchemaType.Boolean, Descriptions.GetValueOrDefault(name)),
        "frame_images" => List(Item(("image_uri", JsonSchemaType.String), ("frame", JsonSchemaType.Integer | JsonSchemaType.String), ("strength", JsonSchemaType.Number)),
            "keyframes: image_uri, frame (index or \"last\"), strength 0-1"),
        "loras" => List(Item(("name", JsonSchemaType.String), ("strength", JsonSchemaType.Number)), "LoRAs of the model's loras/ folder by name, strength -4..4"),
        "safety" => Item(("check_inputs", JsonSchemaType.Boolean), ("check_content", JsonSchemaType.Boolean)),
        _ => new OpenApiSchema { Description = "see docs/api.md" },
    };

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["model"] = "a model id or alias from GET /v1/models; Lightricks/LTX-2 names the default",
        ["prompt"] = "what the video shows",
        ["pipeline"] = "distilled | one-stage | two-stage (GET /v1/models lists each model's)",
        ["duration"] = "seconds (clamped to 4-10; audio-to-video: defaults to the audio's length; extend: seconds added)",
        ["seed"] = "0 .. 2^32-1; the same seed and parameters give the same file (result.manifest)",
        ["number_results"] = "jobs to queue, with consecutive seeds",
        ["output_quality"] = "20-99 (CRF curve in the README)",
        ["ttl"] = "seconds the result is kept after the job ends",
        ["dry_run"] = "answer 200 with the resolved parameters, queue nothing",
    };

    private static OpenApiSchema Scalar(JsonSchemaType type, string? description) => new() { Type = type, Description = description };

    private static OpenApiSchema List(OpenApiSchema item, string description) => new() { Type = JsonSchemaType.Array, Items = item, Description = description };

    private static OpenApiSchema Item(params (string Name, JsonSchemaType Type)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = properties.ToDictionary(p => p.Name, p => (IOpenApiSchema)new OpenApiSchema { Type = p.Type }),
    };
}
