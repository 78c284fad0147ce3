using System.Diagnostics;
using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Inference.Requests;
using LtxLocal.Media;
using LtxLocal.Server.Contracts;
using LtxLocal.Server.Health;
using LtxLocal.Server.Hosting;
using LtxLocal.Server.Notifications;
using LtxLocal.Server.Storage;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Jobs;

/// <summary>
/// Runs one dequeued job on one device: the stored request's images decoded, the generator (running the stored request as
/// it is) streaming frames into ffmpeg, file renamed into place, row finished. A failure ends this job alone; a cancel (from the API)
/// leaves the row as the API wrote it; a shutdown puts the job back in the queue; a lost lease (the job
/// was taken back by another node) discards this run's output. Every write is conditional on our lease.
/// </summary>
public sealed class JobRunner(
    IJobStore store, OutputStore storage, IModelCatalog catalog, Availability availability, IEnumerable<IGeneratorFactory> factories, FfmpegTools ffmpeg,
    ImageDecoder decoder, RunningJobs running, ClusterNode node, ServerMetrics metrics, Notifier notifier,
    IOptions<ServerOptions> options, TimeProvider clock, ILogger<JobRunner> logger)
{
    private readonly IGeneratorFactory? _factory = factories.FirstOrDefault();

    public async Task RunAsync(JobRecord job, ComputeDevice device, GeneratorCache generators, CancellationToken stopping)
    {
        using var jobCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        running.Add(job.Id, jobCts);
        var stored = JsonSerializer.Deserialize(job.SpecJson, ApiJson.Default.StoredJob)!;
        var request = stored.Request;
        var progress = new ProgressWriter(store, job.Id, node.Id, () => running.LoseLease(job.Id), clock, logger);
        // One partial file per attempt: in a shared outputs folder a stalled node's run must not write into its successor's.
        var partial = storage.PartialPath($"{job.Id}.{job.Attempts}", stored.Format.Extension());
        var clockStart = Stopwatch.StartNew();
        logger.LogInformation("Job {JobId} started on {Device} (attempt {Attempt})", job.Id, device, job.Attempts);
        try
        {
            progress.Report(new GenerationProgress("loading", 0, 0, 0));
            var model = catalog.Resolve(request.ModelId);
            if (availability.WhyNot(model) is { } why) throw new JobFailure("model_unavailable", why);
            var generator = generators.Get(_factory!, model!, device); // WhyNot is null only with a factory
            var images = await DecodeImagesAsync(request, jobCts.Token);

            await using var encoder = VideoEncoder.Start(ffmpeg, new EncodeSettings(request.Width, request.Height, request.Fps, stored.Format, request.OutputQuality), partial);
            var sink = new EncoderSink(encoder);
            var outcome = await generator.GenerateAsync(request, images, sink, progress, jobCts.Token);
            progress.Report(new GenerationProgress("muxing", 0, 1, 1 - Inference.Pipelines.ProgressPlan.MuxShare));
            await encoder.CompleteAsync(jobCts.Token);
            await EnsureLeaseAsync(job.Id, jobCts.Token); // a renewed lease cannot be rescued before the rename and finish below
            var output = storage.OutputPath(job.Id, stored.Format.Extension());
            File.Move(partial, output, overwrite: true);

            var timings = new Dictionary<string, double>(outcome.TimingsSeconds) { ["total"] = Math.Round(clockStart.Elapsed.TotalSeconds, 3) };
            var upload = stored.UploadUrl is null ? null : await notifier.UploadAsync(stored.UploadUrl, output, stored.Format.ContentType(), jobCts.Token);
            var result = new ResultDto(stored.Format.ContentType(), new FileInfo(output).Length, request.Width, request.Height, encoder.FramesWritten,
                request.Fps, Math.Round(encoder.FramesWritten / request.Fps, 4), sink.HasAudio, request.Seed, timings, upload, outcome.EnhancedPrompt,
                outcome.Ran);
            await progress.FlushAsync();
            if (await EndAsync(job.Id, JobStatus.Completed, output, JsonSerializer.Serialize(result, ApiJson.Default.ResultDto)))
                metrics.Completed(clockStart.Elapsed.TotalSeconds);
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
            logger.LogError(e, "Job {JobId} failed: {Message}", job.Id, message);
            if (await EndAsync(job.Id, JobStatus.Failed, null, null, type, message)) metrics.Failed();
        }
        finally
        {
            running.Remove(job.Id);
        }
    }

    private async Task<bool> EndAsync(string id, string status, string? output, string? resultJson, string? errorType = null, string? errorMessage = null)
    {
        var now = clock.GetUtcNow();
        var ended = await store.FinishAsync(id, node.Id, new JobEnd(status, now, now + options.Value.ResultTtl, resultJson, output, errorType, errorMessage), CancellationToken.None);
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
