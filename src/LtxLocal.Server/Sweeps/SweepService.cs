using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// Submits and cancels sweeps. Each cell is the base request with its axis values written over it, read by the same
/// parser and resolved by the same resolver as its endpoint, so a value the endpoint refuses makes the sweep a 400 naming
/// the cell; then every cell's job is queued in one transaction (all or none) and the sweep row stored beside them.
/// </summary>
public sealed class SweepService(
    GenerationRequestParser parser, SubmissionService submissions, ImageInputs images, MediaInputs media, ISweepStore sweeps,
    SweepViews views, JobCancellation cancellation, IJobStore jobs, TimeProvider clock, ILogger<SweepService> logger)
{
    public async Task<SweepResponse> SubmitAsync(RequestFields body, CancellationToken token)
    {
        foreach (var name in body.Names)
            if (KnownFields.Problem(name, SweepKinds.BodyFields) is { } problem) throw ApiException.BadRequest(problem);
        var kind = body.String("kind") ?? throw ApiException.BadRequest($"'kind' is required: one of {string.Join(", ", SweepKinds.All)}");
        if (!SweepKinds.All.Contains(kind)) throw ApiException.BadRequest($"'kind' must be one of {string.Join(", ", SweepKinds.All)}");
        var request = body.Object("request") is { } given
            ? (JsonObject)JsonNode.Parse(given.GetRawText())!
            : throw ApiException.BadRequest("'request' is required: the body the kind's endpoint takes (model, prompt, ...)");
        var axes = SweepAxes.Read(body.Object("axes") ?? throw ApiException.BadRequest("'axes' is required, e.g. {\"steps\": [10, 20]}"));
        CheckBase(request, axes);
        var values = SweepGrid.Cells(axes);
        int? named = body.Object("reference_cell") is { } reference ? SweepGrid.Named(reference, axes, values) : null;

        var (image, audio) = await LoadMediaAsync(kind, request, token);
        var cells = new List<Submission>();
        for (var i = 0; i < values.Count; i++)
        {
            var label = $"cell {i} ({Describe(values[i])})";
            var cellBody = (JsonObject)request.DeepClone();
            foreach (var (axis, value) in values[i]) cellBody[axis] = value!.DeepClone();
            cells.Add(new Submission(Parse(kind, cellBody, label, audio?.Seconds), image, audio?.Bytes, label));
        }
        var accepted = await submissions.SubmitAllAsync(cells, token);

        var sweep = new StoredSweep(kind, AxesObject(axes), [.. accepted.Select((a, i) => new StoredSweepCell(i, a.Id, values[i]))],
            named ?? SweepGrid.Default([.. accepted.Select(a => a.Parameters)]), named is not null);
        var record = new SweepRecord(Guid.NewGuid().ToString(), JsonSerializer.Serialize(sweep, SweepJson.Default.StoredSweep), clock.GetUtcNow(), null);
        try
        {
            await sweeps.AddSweepAsync(record, CancellationToken.None);
        }
        catch
        {
            await CancelCellsAsync(sweep); // queued jobs no sweep lists would run unseen
            throw;
        }
        logger.LogInformation("Sweep {SweepId}: {Cells} {Kind} cells queued", record.Id, sweep.Cells.Count, kind);
        return await views.ViewAsync(record, sweep, measure: false, token);
    }

    /// <summary>Cancels the cells still queued or running (queued ones first, so a freed worker does not start one) and marks the sweep cancelled.</summary>
    public async Task<SweepResponse> CancelAsync(SweepRecord record, StoredSweep sweep, CancellationToken token)
    {
        await sweeps.MarkSweepCancelledAsync(record.Id, clock.GetUtcNow(), token);
        await CancelCellsAsync(sweep);
        var after = await sweeps.GetSweepAsync(record.Id, token) ?? record;
        return await views.ViewAsync(after, sweep, measure: false, token);
    }

    private async Task CancelCellsAsync(StoredSweep sweep)
    {
        foreach (var status in new[] { JobStatus.Queued, JobStatus.Processing })
            foreach (var cell in sweep.Cells)
            {
                if (await jobs.GetAsync(cell.JobId, CancellationToken.None) is not { } job || job.Status != status) continue;
                try
                {
                    await cancellation.CancelAsync(job, CancellationToken.None);
                }
                catch (ApiException e) when (e.Status == 409)
                {
                    // it ended on its own meanwhile
                }
            }
    }

    /// <summary>
    /// The base request may not ask for what a sweep decides itself: several results per cell, a dry run. Without a seed
    /// (and no seed axis) one is drawn here, so every cell starts from the same noise.
    /// </summary>
    private static void CheckBase(JsonObject request, IReadOnlyList<SweepAxis> axes)
    {
        if (request["number_results"] is JsonValue n && (!n.TryGetValue<double>(out var count) || count != 1))
            throw ApiException.BadRequest("'request.number_results' must be 1 (or absent) in a sweep: use a 'seed' axis for several seeds");
        if (request["dry_run"] is JsonValue d && d.TryGetValue<bool>(out var dry) && dry)
            throw ApiException.BadRequest("'request.dry_run' is not taken by a sweep; every cell is queued");
        foreach (var axis in axes)
            if (request.ContainsKey(axis.Name) && request[axis.Name] is not null)
                throw ApiException.BadRequest($"'request.{axis.Name}' is also an axis; give its values in 'axes.{axis.Name}' only");
        if (!axes.Any(a => a.Name == "seed") && request["seed"] is null)
            request["seed"] = Random.Shared.NextInt64(0, 1L << 32);
    }

    /// <summary>The cell's body read as its endpoint reads it (a refusal names the cell).</summary>
    private SubmissionRequest Parse(string kind, JsonObject cellBody, string label, double? audioSeconds)
    {
        try
        {
            using var document = JsonDocument.Parse(cellBody.ToJsonString());
            var fields = new JsonFields(document.RootElement.Clone());
            if (kind != SweepKinds.AudioToVideo) return parser.Parse(fields, imageToVideo: kind == SweepKinds.ImageToVideo);
            var request = parser.ParseSource(fields, SourceTasks.AudioToVideo);
            return request with { Ask = request.Ask with { Duration = request.Ask.Duration ?? audioSeconds } };
        }
        catch (ApiException e) when (e.Status == 400)
        {
            throw ApiException.BadRequest($"{label}: {e.Message}");
        }
        catch (InvalidGenerationException e)
        {
            throw ApiException.BadRequest($"{label}: {e.Message}");
        }
    }

    /// <summary>The image (image-to-video; optional for audio-to-video) and soundtrack, loaded once for every cell. JSON only: URIs, no files.</summary>
    private async Task<(LoadedImage? Image, (byte[] Bytes, double Seconds)? Audio)> LoadMediaAsync(string kind, JsonObject request, CancellationToken token)
    {
        var imageUri = request["image_uri"] is JsonValue iv && iv.TryGetValue<string>(out var u) ? u : null;
        if (kind == SweepKinds.ImageToVideo && imageUri is null)
            throw ApiException.BadRequest("an image-to-video sweep needs 'request.image_uri' (http(s) URL or data:image/...;base64 URI)");
        var image = imageUri is null || kind == SweepKinds.TextToVideo ? null : await images.FromUriAsync(imageUri, "request.image_uri", token);
        if (kind != SweepKinds.AudioToVideo) return (image, null);
        var audioUri = request["audio_uri"] is JsonValue av && av.TryGetValue<string>(out var a) ? a
            : throw ApiException.BadRequest("an audio-to-video sweep needs 'request.audio_uri' (http(s) URL or data: URI)");
        var bytes = await media.BytesAsync(null, audioUri, "audio", token);
        var audio = await media.AudioAsync(bytes, "request.audio_uri", token);
        return (image, (bytes, Math.Round(audio.Duration, 4)));
    }

    private static JsonObject AxesObject(IReadOnlyList<SweepAxis> axes)
    {
        var json = new JsonObject();
        foreach (var axis in axes) json[axis.Name] = new JsonArray([.. axis.Values.Select(v => v.DeepClone())]);
        return json;
    }

    private static string Describe(JsonObject values) => string.Join(", ", values.Select(p => $"{p.Key}={SweepAxes.Text(p.Value)}"));
}
