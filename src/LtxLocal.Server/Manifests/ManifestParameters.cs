using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Manifests;

/// <summary>
/// The request body that reproduces a job: the resolved values (so nothing is adjusted again) in the fields the job's
/// endpoint accepts, with the job's own seed. Inputs (images, audio, video) are not in it: the manifest lists their
/// SHA-256 and a re-submission sends the same files. The endpoint follows from what the request carried.
/// </summary>
public static class ManifestParameters
{
    public static string Endpoint(GenerationRequest r) => r.Source?.Task switch
    {
        null => r.Images.Any(i => !i.Keyframe) ? "/v1/image-to-video" : "/v1/text-to-video",
        var task => $"/v1/{task}",
    };

    public static JsonObject Body(string modelId, GenerationRequest r)
    {
        var task = r.Source?.Task;
        var body = new JsonObject { ["model"] = modelId, ["prompt"] = r.Prompt };
        if (r.NegativePrompt is not null) body["negative_prompt"] = r.NegativePrompt;
        switch (task)
        {
            case SourceTasks.Retake:
                body["start_time"] = r.Source!.Start;
                body["end_time"] = r.Source.End;
                body["mode"] = r.Source.Mode;
                break;
            case SourceTasks.Extend:
                body["duration"] = r.Source!.Seconds;
                body["mode"] = r.Source.Mode;
                body["context"] = r.Source.Context;
                break;
            default:
                body["resolution"] = $"{r.Width}x{r.Height}";
                body["duration"] = r.Duration;
                body["fps"] = r.Fps;
                if (task is null) body["generate_audio"] = r.GenerateAudio;
                break;
        }
        body["seed"] = r.Seed;
        body["pipeline"] = r.Pipeline;
        if (r.Steps is { } steps) body["steps"] = steps;
        if (r.Guidance is { } guidance) body["guidance_scale"] = guidance.VideoScale;
        body["enhance_prompt"] = r.EnhancePrompt;
        body["output_format"] = r.OutputFormat;
        body["output_quality"] = r.OutputQuality;
        if (r.Loras.Count > 0)
            body["loras"] = new JsonArray([.. r.Loras.Select(l => (JsonNode)new JsonObject { ["name"] = l.Name, ["strength"] = l.Strength })]);
        return body;
    }
}
