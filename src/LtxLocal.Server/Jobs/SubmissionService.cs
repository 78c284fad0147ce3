using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Inference.Requests;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Health;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Inputs;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Storage;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Turns a parsed request into queued jobs, in the order api.md promises: every 400 (fields, model name, images) before
/// any 503 (nothing can run), then the resolver (defaults, adjustments, memory), then the bounded queue (429). The
/// resolved request is what each job row stores and what the responses echo.
/// </summary>
public sealed class SubmissionService(
    IModelCatalog catalog, Availability availability, MemoryBudget memory, ImageInputs images, OutputStore storage,
    IJobStore store, QueueSignal signal, ServerMetrics metrics, IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <summary>The dry run: the resolved request, its adjustments and the memory estimate; nothing is queued.</summary>
    public async Task<DryRunResponse> PlanAsync(SubmissionRequest request, LoadedImage? image, CancellationToken token)
    {
        var (model, resolved, _) = await ResolveAsync(request, image, token);
        return new DryRunResponse("dry_run", model.Id, ParametersDto.From(resolved.Request), Reported(resolved), resolved.Memory);
    }

    /// <summary>Queues number_results jobs (consecutive seeds), each with its own copy of the input images.</summary>
    public async Task<SubmissionResponse> SubmitAsync(SubmissionRequest request, LoadedImage? image, CancellationToken token)
    {
        var (model, resolved, data) = await ResolveAsync(request, image, token);
        var reported = Reported(resolved);
        var now = clock.GetUtcNow();
        var jobs = new List<JobRecord>();
        var stored = new List<StoredJob>();
        try
        {
            for (var n = 0; n < request.NumberResults; n++)
            {
                var id = Guid.NewGuid().ToString();
                var files = new List<RequestImage>();
                for (var i = 0; i < data.Count; i++)
                    files.Add(resolved.Request.Images[i] with { File = await storage.SaveInputAsync(id, i, data[i], token) });
                var job = new StoredJob(resolved.Request with { Seed = (resolved.Request.Seed + n) % (1L << 32), Images = files },
                    request.WebhookUrl, request.UploadUrl);
                stored.Add(job);
                jobs.Add(new JobRecord
                {
                    Id = id, Status = JobStatus.Queued, Model = model.Id, CreatedAt = now,
                    SpecJson = JsonSerializer.Serialize(job, ApiJson.Default.StoredJob),
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
            foreach (var job in jobs) storage.DeleteJobFiles(job.Id);
            throw;
        }
        signal.Pulse(jobs.Count);
        metrics.Submitted(jobs.Count);
        return new SubmissionResponse(jobs[0].Id, [.. jobs.Select(j => j.Id)], JobStatus.Queued, now, model.Id,
            ParametersDto.From(stored[0].Request), reported);
    }

    /// <summary>Model, keyframe images, availability, then the resolver; the images' bytes come back in the request's image order.</summary>
    private async Task<(ModelDescriptor Model, ResolvedGeneration Resolved, List<byte[]> Data)> ResolveAsync(
        SubmissionRequest request, LoadedImage? image, CancellationToken token)
    {
        var model = catalog.Resolve(request.Model);
        if (model is null && !request.Model.Equals(IModelCatalog.DefaultAlias, StringComparison.OrdinalIgnoreCase))
        {
            var known = catalog.List().Select(m => m.Id).DefaultIfEmpty("none installed");
            throw ApiException.BadRequest($"unknown model '{request.Model}'; use \"{IModelCatalog.DefaultAlias}\" or one of: {string.Join(", ", known)} (GET /v1/models)");
        }
        if (model is not null) GenerationResolver.CheckPipeline(request.Ask.Pipeline, model); // a 400 before any 503

        var data = new List<byte[]>();
        var keyframes = new List<ImageAsk>();
        if (image is not null) data.Add(image.Data);
        for (var i = 0; i < request.FrameImages.Count; i++)
        {
            var frame = request.FrameImages[i];
            var loaded = await images.FromUriAsync(frame.ImageUri, $"frame_images[{i}].image_uri", token);
            keyframes.Add(new ImageAsk("", loaded.Width, loaded.Height, frame.Frame, frame.Index));
            data.Add(loaded.Data);
        }
        if (availability.WhyNot(model) is { } why) throw ApiException.Unavailable(why);

        var ask = request.Ask with { Image = image is null ? null : new ImageAsk("", image.Width, image.Height), Keyframes = keyframes };
        var resolver = new GenerationResolver(new ResolverLimits(options.Value.MaxWidth, options.Value.MaxHeight), memory.ForResolver);
        return (model!, resolver.Resolve(ask, model!), data);
    }

    private static List<Adjustment>? Reported(ResolvedGeneration resolved) => resolved.Adjustments.Count == 0 ? null : [.. resolved.Adjustments];

    /// <summary>A guess at when room frees up: queued jobs times the mean run time, spread over the workers.</summary>
    private async Task<int> RetryAfterAsync(CancellationToken token)
    {
        if (metrics.MeanRunSeconds is not { } mean) return options.Value.RetryAfterSeconds;
        var counts = await store.CountAsync(token);
        return (int)Math.Clamp(mean * Math.Max(1, counts.Queued / 4.0), 1, 3600);
    }
}
