using System.Diagnostics;
using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Inference.Requests;
using LtxLocal.Media;
using LtxLocal.Server.Health;
using LtxLocal.Server.Notifications;
using LtxLocal.Server.Safety;
using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Runs one dequeued job on one device: the stored request's images decoded, the generator (running the stored request as
/// it is) streaming frames into ffmpeg, file renamed into place, row finished. A failure ends this job alone; a cancel (from the API)
/// leaves the row as the API wrote it; a shutdown puts the job back in the queue; a lost lease (the job
/// was taken back by another node) discards this run's output. Every write is conditional on our lease.
/// </summary>
public sealed class JobRunner(
    IJobStore store, OutputStore storage, IModelCatalog catalog, Availability availability, IEnumerable<IGeneratorFactory> factories, FfmpegTools ffmpeg,
    ImageDecoder decoder, RunningJobs running, ClusterNode node, ServerMetrics metrics, JobOutcomes outcomes, Notifier notifier, SafetyGate safety,
    Manifests.JobManifests manifests, IOptions<ServerOptions> options, TimeProvider clock, ILogger<JobRunner> logger)
{
    private readonly IGeneratorFactory? _factory = factories.FirstOrDefault();

    public async Task RunAsync(JobRecord job, ComputeDevice device, GeneratorCache generators, CancellationToken stopping)
    {
        using var jobCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var stored = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        var request = stored.Request;
        running.Add(job.Id, jobCts, request.MemoryPlan?.HostBytes ?? 0);
        var progress = new ProgressWriter(store, job.Id, node.Id, () => running.LoseLease(job.Id), clock, logger);
        // One partial file per attempt: in a shared outputs folder a stalled node's run must not write into its successor's.
        var partial = storage.PartialPath($"{job.Id}.{job.Attempts}", stored.Format.Extension());
        var clockStart = Stopwatch.StartNew();
        var deviceClock = new Stopwatch(); // the time this job held the device: the generation, which also feeds the encoder
        logger.LogInformation("Job {JobId} started on {Device} (attempt {Attempt})", job.Id, device, job.Attempts);
        metrics.QueueWait(((job.StartedAt ?? clock.GetUtcNow()) - job.CreatedAt).TotalSeconds);
        metrics.DeviceBusy.WithLabels(device.Name).Set(1);
        try
        {
            progress.Report(new GenerationProgress("loading", 0, 0, 0));
            var model = catalog.Resolve(request.ModelId);
            if (availability.WhyNot(model) is { } why) throw new JobFailure("model_unavailable", why);
            var generator = generators.Get(_factory!, model!, device); // WhyNot is null only with a factory
            var images = await DecodeImagesAsync(request, jobCts.Token);
            var manifest = await manifests.BuildAsync(job.Model, request, model!, device, jobCts.Token); // before encoding: it goes into the file

            await using var encoder = VideoEncoder.Start(ffmpeg, new EncodeSettings(request.Width, request.Height, request.Fps, stored.Format,
                request.OutputQuality, Manifests.JobManifests.CommentText(manifest)), partial);
            var sink = new EncoderSink(encoder);
            var sampler = stored.Safety?.CheckContent == true ? new FrameSampler(sink, FrameSampler.Indices(request.NumFrames, request.Fps)) : null;
            deviceClock.Start();
            var outcome = await generator.GenerateAsync(request, images, (IFrameSink?)sampler ?? sink, new StepTimer(progress, metrics), jobCts.Token);
            deviceClock.Stop();
            if (outcome.TimingsSeconds.TryGetValue("decode", out var decode)) metrics.Decode(decode);
            progress.Report(new GenerationProgress("muxing", 0, 1, 1 - Inference.Pipelines.ProgressPlan.MuxShare));
            var muxClock = Stopwatch.StartNew();
            await encoder.CompleteAsync(jobCts.Token);
            var muxSeconds = Math.Round(muxClock.Elapsed.TotalSeconds, 4); // the encoder's flush and the container's finish
            var contentVerdict = sampler is null ? null : await CheckContentAsync(job.Id, request, sampler, jobCts.Token);
            await EnsureLeaseAsync(job.Id, jobCts.Token); // a renewed lease cannot be rescued before the rename and finish below
            var output = storage.OutputPath(job.Id, stored.Format.Extension());
            File.Move(partial, output, overwrite: true);

            var timings = new Dictionary<string, double>(outcome.TimingsSeconds) { ["mux"] = muxSeconds, ["total"] = Math.Round(clockStart.Elapsed.TotalSeconds, 3) };
            var upload = stored.UploadUrl is null ? null : await notifier.UploadAsync(stored.UploadUrl, output, stored.Format.ContentType(), jobCts.Token);
            var result = new ResultDto(stored.Format.ContentType(), new FileInfo(output).Length, request.Width, request.Height, encoder.FramesWritten,
                request.Fps, Math.Round(encoder.FramesWritten / request.Fps, 4), sink.HasAudio, request.Seed, timings, upload, outcome.EnhancedPrompt,
                outcome.Ran, stored.IncludeCost ? Cost(deviceClock.Elapsed.TotalSeconds, device) : null, NsfwContent(stored, contentVerdict), manifest, outcome.PeakMemory);
            await progress.FlushAsync();
            if (await EndAsync(job.Id, stored, JobStatus.Completed, output, JsonSerializer.Serialize(result, ApiJson.Default.ResultDto)))
                await outcomes.CompletedAsync(request.Pipeline, clockStart.Elapsed.TotalSeconds);
            else
                StorageCleanup(job.Id); // cancelled while finishing: the result is not wanted
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await progress.FlushAsync();
            StorageCleanup(partial);
            if (await store.RequeueAsync(job.Id, node.Id, CancellationToken.None))
                logger.LogInformation("Job {JobId} returned to the queue for the next start (shutdown)", job.Id);
        }
        catch (OperationCanceledException) when (running.LeaseLost(job.Id))
        {
            await progress.FlushAsync();
            StorageCleanup(partial); // the job's inputs and final file belong to whichever node runs it now
            logger.LogWarning("Job {JobId} stopped: this node no longer holds its lease (cancelled elsewhere or taken back); output discarded", job.Id);
        }
        catch (OperationCanceledException) when (jobCts.IsCancellationRequested)
        {
            await progress.FlushAsync();
            StorageCleanup(job.Id);
            logger.LogInformation("Job {JobId} stopped: cancelled", job.Id);
        }
        catch (Exception e)
        {
            await progress.FlushAsync();
            StorageCleanup(partial);
            var (type, message) = e switch
            {
                JobFailure f => (f.Type, f.Message),
                MediaException => ("encoding_error", e.Message),
                _ => ("generation_error", e.Message),
            };
            if (e is JobFailure) logger.LogWarning("Job {JobId} failed ({Type}): {Message}", job.Id, type, message);
            else logger.LogError(e, "Job {JobId} failed: {Message}", job.Id, message);
            if (await EndAsync(job.Id, stored, JobStatus.Failed, null, null, type, message)) await outcomes.FailedAsync();
        }
        finally
        {
            running.Remove(job.Id);
            metrics.DeviceBusy.WithLabels(device.Name).Set(0);
            if (deviceClock.Elapsed > TimeSpan.Zero) metrics.DeviceSeconds(device.Name, deviceClock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>safety.check_content: the sampled frames to the checker; a denial (or a failed checker, failing closed) fails the job, and its file is not kept.</summary>
    private async Task<SafetyVerdict> CheckContentAsync(string id, GenerationRequest request, FrameSampler sampler, CancellationToken token)
    {
        var verdict = await safety.CheckContentAsync(id, request, sampler.Frames, token);
        return verdict.Outcome switch
        {
            SafetyOutcome.Denied => throw new JobFailure(SafetyGate.FilteredType, $"the content checker refused the output: {verdict.Reason}"),
            SafetyOutcome.Refused => throw new JobFailure(SafetyGate.FilteredType, $"the output could not be checked: {verdict.Reason}"),
            _ => verdict,
        };
    }

    /// <summary>False when every check the request asked for passed; null when none was asked or one was let through unchecked (fail open).</summary>
    private static bool? NsfwContent(StoredJob stored, SafetyVerdict? content) =>
        stored.Safety?.Any != true || stored.InputsUnchecked || content?.Outcome == SafetyOutcome.Unchecked ? null : false;

    private CostDto Cost(double deviceSeconds, ComputeDevice device)
    {
        var seconds = Math.Round(deviceSeconds, 3);
        var pricing = options.Value.Pricing;
        return new CostDto(seconds, device.Name, pricing.Amount(seconds), pricing.PerDeviceHour is null ? null : pricing.Currency);
    }

    private async Task<bool> EndAsync(string id, StoredJob stored, string status, string? output, string? resultJson, string? errorType = null, string? errorMessage = null)
    {
        var now = clock.GetUtcNow();
        var expires = now + stored.Retention(options.Value.ResultTtl);
        var ended = await store.FinishAsync(id, node.Id, new JobEnd(status, now, expires, resultJson, output, errorType, errorMessage), CancellationToken.None);
        if (ended) await notifier.JobEndedAsync(id);
        return ended;
    }

    private async Task EnsureLeaseAsync(string id, CancellationToken token)
    {
        var held = await store.RenewLeasesAsync(node.Lease(clock.GetUtcNow()), [id], CancellationToken.None);
        if (!held.Contains(id)) running.LoseLease(id);
        token.ThrowIfCancellationRequested();
    }

    private void StorageCleanup(string jobIdOrPath)
    {
        if (Path.IsPathRooted(jobIdOrPath)) OutputStore.TryDelete(jobIdOrPath);
        else storage.DeleteJobFiles(jobIdOrPath);
    }

    private async Task<IReadOnlyList<ConditioningImage>> DecodeImagesAsync(GenerationRequest request, CancellationToken token)
    {
        var list = new List<ConditioningImage>();
        foreach (var image in request.Images)
        {
            if (!File.Exists(image.File)) throw new JobFailure("input_missing", $"the input image {Path.GetFileName(image.File)} is gone from the data directory");
            // Decoded at the size the pipeline scales it to (cover, then centre crop), never larger.
            var decoded = await decoder.DecodeAsync(await File.ReadAllBytesAsync(image.File, token), (request.Width, request.Height), token);
            list.Add(new ConditioningImage(decoded.Rgb, decoded.Width, decoded.Height, image.FrameIndex, image.Strength));
        }
        return list;
    }
}
