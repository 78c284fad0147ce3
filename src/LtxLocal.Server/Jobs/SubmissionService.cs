using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Inference;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Health;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Inputs;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Storage;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Turns a parsed request into queued jobs, in the order api.md promises: every 400 (fields,
/// model name, images) before any 503 (nothing can run), then planning, then the bounded queue (429).
/// </summary>
public sealed class SubmissionService(
    IModelCatalog catalog, Availability availability, ParameterPlanner planner, ImageInputs images, OutputStore storage,
    IJobStore store, QueueSignal signal, ServerMetrics metrics, RetryAfterEstimator retryAfter, IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <summary>Returns a <see cref="SubmissionResponse"/> (202) or, for dry_run, a <see cref="DryRunResponse"/> (200).</summary>
    public async Task<object> SubmitAsync(ParsedRequest request, LoadedImage? image, CancellationToken token)
    {
        var model = catalog.Resolve(request.Model);
        if (model is null && !request.Model.Equals(IModelCatalog.DefaultAlias, StringComparison.OrdinalIgnoreCase))
        {
            var known = catalog.List().Select(m => m.Id).DefaultIfEmpty("none installed");
            throw ApiException.BadRequest($"unknown model '{request.Model}'; use \"{IModelCatalog.DefaultAlias}\" or one of: {string.Join(", ", known)} (GET /v1/models)");
        }
        if (model is not null && !model.Pipelines.Contains(request.Pipeline))
            throw ApiException.BadRequest($"model '{model.Id}' does not support the '{request.Pipeline}' pipeline; it supports {string.Join(", ", model.Pipelines)}");

        var loaded = await images.FromUrisAsync([.. request.FrameImages.Select((f, i) => (f.ImageUri, $"frame_images[{i}].image_uri"))], token);
        var keyframes = loaded.Zip(request.FrameImages, (image, at) => (Image: image, Ref: at)).ToList();

        if (availability.WhyNot(model) is { } why) throw ApiException.Unavailable(why);

        var size = request.Resolution ?? (image is null ? (ParameterPlanner.DefaultWidth, ParameterPlanner.DefaultHeight) : (image.Width, image.Height));
        // Enhancement uses the image-to-video system prompt whenever an image conditions the video (as the generator does).
        var textToVideo = image is null && keyframes.Count == 0;
        var plan = planner.Create(request, model!.Id, size, model.HasAudio,
            (model.Enhancement ?? PromptEnhancement.Unsupported($"model '{model.Id}' cannot rewrite prompts")).WhyNot(textToVideo) is { } whyNot
                ? ClientText.WithoutServerPaths(whyNot, options.Value) : null);
        var adjustments = plan.Adjustments.ToList();
        var placed = PlaceImages(image, keyframes, plan.NumFrames, adjustments);
        var audio = request.GenerateAudio && model.HasAudio;
        var seed = request.Seed ?? Random.Shared.NextInt64(0, 1L << 32);
        JobSpec SpecFor(int n, IReadOnlyList<JobImage> files) => new(
            model.Id, request.Pipeline, request.Prompt, request.NegativePrompt, plan.Width, plan.Height, plan.Duration, request.Fps,
            plan.NumFrames, (seed + n) % (1L << 32), plan.Steps, request.GuidanceScale, audio, plan.EnhancePrompt,
            request.OutputFormat, request.OutputQuality, files, request.WebhookUrl, request.UploadUrl);
        var reported = adjustments.Count == 0 ? null : adjustments;

        if (request.DryRun)
            return new DryRunResponse("dry_run", model.Id, SpecFor(0, []).ToParameters() with { ConditioningImages = placed.Count }, reported, plan.Memory);

        var now = clock.GetUtcNow();
        var jobs = new List<JobRecord>();
        var specs = new List<JobSpec>();
        var ids = new List<string>();
        try
        {
            for (var n = 0; n < request.NumberResults; n++)
            {
                var id = Guid.NewGuid().ToString();
                ids.Add(id);
                var files = new List<JobImage>();
                for (var i = 0; i < placed.Count; i++)
                    files.Add(new JobImage(await storage.SaveInputAsync(id, i, placed[i].Data, token), placed[i].Frame, placed[i].Width, placed[i].Height));
                var spec = SpecFor(n, files);
                specs.Add(spec);
                jobs.Add(new JobRecord
                {
                    Id = id, Status = JobStatus.Queued, Model = model.Id, CreatedAt = now,
                    SpecJson = JsonSerializer.Serialize(spec, ApiJson.Default.JobSpec),
                    AdjustmentsJson = reported is null ? null : JsonSerializer.Serialize(reported, ApiJson.Default.ListAdjustment),
                });
            }
            if (!await store.TryEnqueueAsync(jobs, options.Value.MaxQueuedJobs, token))
            {
                metrics.RejectedQueueFull();
                throw ApiException.QueueFull($"the queue is full ({options.Value.MaxQueuedJobs} jobs waiting); retry later", await RetryAfterAsync(token));
            }
        }
        catch
        {
            foreach (var id in ids) storage.DeleteJobFiles(id); // with the inputs of a job whose files were still being written
            throw;
        }
        signal.Pulse(jobs.Count);
        metrics.Submitted(jobs.Count);
        return new SubmissionResponse(jobs[0].Id, [.. jobs.Select(j => j.Id)], JobStatus.Queued, now, model.Id, specs[0].ToParameters(), reported);
    }

    /// <summary>When room frees up: see <see cref="RetryAfterEstimator"/> (observed drain rate, else run time over the workers).</summary>
    private async Task<int> RetryAfterAsync(CancellationToken token) => retryAfter.Seconds((await store.CountAsync(token)).Queued);

    private sealed record Placed(byte[] Data, int Frame, int Width, int Height);

    /// <summary>The image of image-to-video pins frame 0; keyframes pin first, last or an index (clamped, and listed, if past the end).</summary>
    private static List<Placed> PlaceImages(LoadedImage? image, List<(LoadedImage Image, FrameImageRef Ref)> keyframes, int frames, List<Adjustment> adjustments)
    {
        var placed = new List<Placed>();
        if (image is not null) placed.Add(new Placed(image.Data, 0, image.Width, image.Height));
        for (var i = 0; i < keyframes.Count; i++)
        {
            var (img, at) = keyframes[i];
            var index = at.Frame switch { "first" => 0, "last" => frames - 1, _ => at.Index!.Value };
            if (index > frames - 1)
            {
                adjustments.Add(new Adjustment($"frame_images[{i}].frame", JsonValue.Create(index), JsonValue.Create(frames - 1),
                    $"the video has {frames} frames; the keyframe moves to the last one"));
                index = frames - 1;
            }
            placed.Add(new Placed(img.Data, index, img.Width, img.Height));
        }
        return placed;
    }
}
