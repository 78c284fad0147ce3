using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Inference.Requests;
using LtxLocal.Server.Health;
using LtxLocal.Server.Planning;
using LtxLocal.Server.Safety;
using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Turns a parsed request into queued jobs, in the order api.md promises: every 400 (fields, model name, images) before
/// any 503 (nothing can run), then the resolver (defaults, adjustments, memory), then the bounded queue (429). The
/// resolved request is what each job row stores and what the responses echo.
/// </summary>
public sealed class SubmissionService(
    IModelCatalog catalog, Availability availability, MemoryBudget memory, ImageInputs images, OutputStore storage,
    IJobStore store, QueueSignal signal, ServerMetrics metrics, RetryAfterEstimator retryAfter, SafetyGate safety,
    IOptions<ServerOptions> options, TimeProvider clock)
{
    /// <summary>The dry run: the resolved request, its adjustments and the memory estimate; nothing is queued.</summary>
    public async Task<DryRunResponse> PlanAsync(SubmissionRequest request, LoadedImage? image, CancellationToken token)
    {
        var (model, resolved, data) = await ResolveAsync(request, image, token);
        var (_, ttlAdjustment) = JobRetention.Resolve(request.Ttl, options.Value);
        await CheckInputsAsync(request, resolved.Request, image, data, token);
        return new DryRunResponse("dry_run", model.Id, ParametersDto.From(resolved.Request), Reported(resolved, ttlAdjustment), resolved.Memory);
    }

    /// <summary>Queues number_results jobs (consecutive seeds), each with its own copy of the input images (and source media).</summary>
    /// <param name="sourceData">the soundtrack or clip of audio-to-video, retake and extend (already validated)</param>
    public async Task<SubmissionResponse> SubmitAsync(SubmissionRequest request, LoadedImage? image, CancellationToken token, byte[]? sourceData = null) =>
        (await SubmitAllAsync([new Submission(request, image, sourceData)], token))[0];

    /// <summary>
    /// Queues several submissions all or none (a sweep's cells): every one is resolved and checked before any file or row
    /// exists, then all their jobs go into the queue in one transaction (429 when they do not all fit). A refusal of one
    /// submission names it by its <see cref="Submission.Label"/>.
    /// </summary>
    public async Task<IReadOnlyList<SubmissionResponse>> SubmitAllAsync(IReadOnlyList<Submission> submissions, CancellationToken token)
    {
        var prepared = new List<(Submission Ask, ModelDescriptor Model, ResolvedGeneration Resolved, List<byte[]> Data, long? Ttl, List<Adjustment>? Reported, SafetyVerdict? Inputs)>();
        foreach (var submission in submissions)
        {
            try
            {
                var (model, resolved, data) = await ResolveAsync(submission.Request, submission.Image, token);
                var (ttl, ttlAdjustment) = JobRetention.Resolve(submission.Request.Ttl, options.Value);
                // Before any file or row exists: a denied request leaves nothing behind.
                var inputs = await CheckInputsAsync(submission.Request, resolved.Request, submission.Image, data, token);
                prepared.Add((submission, model, resolved, data, ttl, Reported(resolved, ttlAdjustment), inputs));
            }
            catch (ApiException e) when (submission.Label is not null && e.Status == 400)
            {
                throw ApiException.BadRequest($"{submission.Label}: {e.Message}");
            }
            catch (InvalidGenerationException e) when (submission.Label is not null)
            {
                throw ApiException.BadRequest($"{submission.Label}: {e.Message}");
            }
        }
        var now = clock.GetUtcNow();
        var jobs = new List<JobRecord>();
        var responses = new List<SubmissionResponse>();
        var ids = new List<string>();
        try
        {
            foreach (var (ask, model, resolved, data, ttl, reported, inputs) in prepared)
            {
                var (request, sourceData) = (ask.Request, ask.SourceData);
                var first = jobs.Count;
                StoredJob? firstStored = null;
                for (var n = 0; n < request.NumberResults; n++)
                {
                    var id = Guid.NewGuid().ToString();
                    ids.Add(id);
                    var files = new List<RequestImage>();
                    for (var i = 0; i < data.Count; i++)
                        files.Add(resolved.Request.Images[i] with { File = await storage.SaveInputAsync(id, i, data[i], token) });
                    var source = resolved.Request.Source;
                    if (source is not null && sourceData is not null)
                        source = source with { File = await storage.SaveInputAsync(id, data.Count, sourceData, token, "src") };
                    var job = new StoredJob(resolved.Request with { Seed = (resolved.Request.Seed + n) % (1L << 32), Images = files, Source = source },
                        request.WebhookUrl, request.UploadUrl, ttl, request.IncludeCost, request.Safety)
                    {
                        InputsUnchecked = inputs?.Outcome == SafetyOutcome.Unchecked,
                    };
                    firstStored ??= job;
                    jobs.Add(new JobRecord
                    {
                        Id = id, Status = JobStatus.Queued, Model = model.Id, CreatedAt = now,
                        SpecJson = JsonSerializer.Serialize(job, ApiJson.Default.StoredJob),
                        AdjustmentsJson = reported is null ? null : JsonSerializer.Serialize(reported, ApiJson.Default.ListAdjustment),
                    });
                }
                responses.Add(new SubmissionResponse(jobs[first].Id, [.. jobs.Skip(first).Select(j => j.Id)], JobStatus.Queued, now, model.Id,
                    ParametersDto.From(firstStored!.Request), reported));
            }
            if (!await store.TryEnqueueAsync(jobs, options.Value.MaxQueuedJobs, token))
            {
                metrics.RejectedQueueFull();
                throw ApiException.QueueFull($"the queue is full ({options.Value.MaxQueuedJobs} jobs waiting, {jobs.Count} asked for); retry later",
                    await RetryAfterAsync(token));
            }
        }
        catch
        {
            foreach (var id in ids) storage.DeleteJobFiles(id); // with the inputs of a job whose files were still being written
            throw;
        }
        signal.Pulse(jobs.Count);
        metrics.Submitted(jobs.Count);
        return responses;
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
        if (model is not null)
        {
            // 400s before any 503
            GenerationResolver.CheckPipeline(request.Ask.Pipeline, model);
            GenerationResolver.CheckLoras(request.Ask.Loras, model);
        }

        var loaded = await images.FromUrisAsync([.. request.FrameImages.Select((f, i) => (f.ImageUri, $"frame_images[{i}].image_uri"))], token);
        var keyframes = loaded.Zip(request.FrameImages, (k, at) => new ImageAsk("", k.Width, k.Height, at.Frame, at.Index, at.Strength)).ToList();
        List<byte[]> data = [.. image is null ? [] : new[] { image.Data }, .. loaded.Select(k => k.Data)];
        if (availability.WhyNot(model) is { } why) throw ApiException.Unavailable(why);

        var ask = request.Ask with { Image = image is null ? null : new ImageAsk("", image.Width, image.Height), Keyframes = keyframes };
        var resolver = new GenerationResolver(new ResolverLimits(options.Value.MaxWidth, options.Value.MaxHeight), memory.ForResolver);
        return (model!, resolver.Resolve(ask, model!), data);
    }

    /// <summary>The adjustments as the client sees them (the resolver's, then ttl's): null when there are none, and no server path in a reason.</summary>
    private List<Adjustment>? Reported(ResolvedGeneration resolved, Adjustment? ttl)
    {
        List<Adjustment> all = [.. resolved.Adjustments.Select(a => a with { Reason = ClientText.WithoutServerPaths(a.Reason, options.Value) })];
        if (ttl is not null) all.Add(ttl);
        return all.Count == 0 ? null : all;
    }

    /// <summary>safety.check_inputs: the prompts and the images (the image, then the keyframes) to the checker; null when not asked.</summary>
    private async Task<SafetyVerdict?> CheckInputsAsync(
        SubmissionRequest request, GenerationRequest resolved, LoadedImage? image, List<byte[]> data, CancellationToken token)
    {
        if (request.Safety?.CheckInputs != true) return null;
        List<string> names = [.. image is null ? [] : new[] { "image" }, .. request.FrameImages.Select((_, i) => $"frame_images[{i}]")];
        return await safety.CheckInputsAsync(resolved, [.. names.Zip(data)], token);
    }

    /// <summary>When room frees up: see <see cref="RetryAfterEstimator"/> (observed drain rate, else run time over the workers).</summary>
    private async Task<int> RetryAfterAsync(CancellationToken token) => retryAfter.Seconds((await store.CountAsync(token)).Queued);
}
