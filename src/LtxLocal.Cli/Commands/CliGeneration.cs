namespace LtxLocal.Cli.Commands;

/// <summary>
/// What generate, retake and extend share once a request is resolved: the adjustments and the plan printed, the
/// generator run with a progress bar, frames and sound encoded into --out, the timings printed.
/// </summary>
public static class CliGeneration
{
    /// <summary>
    /// The model, --out's path and container, and a generator factory that can run the model; null, after printing
    /// why, when any of them is missing.
    /// </summary>
    public static (ModelDescriptor Model, string OutPath, OutputFormat Format, LtxGeneratorFactory Factory)? Prepare(string modelsDir, string model, string output)
    {
        var catalog = new ModelDirectoryCatalog(modelsDir);
        var descriptor = catalog.Resolve(model);
        if (descriptor is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]no model '{model}' under {catalog.ModelsDirectory}[/] (see models/README.md, or `ltx-local models create-tiny`)");
            return null;
        }
        var outPath = Path.GetFullPath(output);
        if (!OutputFormats.TryParse(Path.GetExtension(outPath).TrimStart('.').ToLowerInvariant(), out var format))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]--out must end in .mp4, .webm or .mov (the container is taken from it); got '{Path.GetFileName(outPath)}'[/]");
            return null;
        }
        var factory = new LtxGeneratorFactory();
        if (factory.Unavailable(descriptor) is { } why)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{why}[/]");
            return null;
        }
        return (descriptor, outPath, format, factory);
    }

    public static async Task<int> RunAsync(ModelDescriptor descriptor, LtxGeneratorFactory factory, ResolvedGeneration resolved,
        IReadOnlyList<ConditioningImage> images, string device, OutputFormat format, string outPath, CancellationToken token)
    {
        var request = resolved.Request;
        foreach (var a in resolved.Adjustments)
            AnsiConsole.MarkupLineInterpolated($"[yellow]adjusted {a.Field}: {a.Requested?.ToJsonString() ?? "-"} -> {a.Applied?.ToJsonString() ?? "dropped"} ({a.Reason})[/]");
        var guided = request.Steps is { } n ? $", {n} steps, guidance {request.Guidance!.VideoScale}/{request.Guidance.AudioScale}" : "";
        var task = request.Source is { } source ? $" {source.Task}" : "";
        var fused = request.Loras.Count == 0 ? "" : ", LoRAs " + string.Join(", ", request.Loras.Select(l => $"{l.Name}:{l.Strength.ToString(CultureInfo.InvariantCulture)}"));
        AnsiConsole.MarkupLineInterpolated($"{descriptor.Id} {request.Pipeline}{task}: {request.Width}x{request.Height}, {request.NumFrames} frames at {request.Fps} fps, seed {request.Seed}{guided}{fused}");
        var ffmpeg = FfmpegTools.Locate(null, null);
        GenerationOutcome outcome = null!;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("loading", maxValue: 1.0);
                using var generator = factory.Create(descriptor, new ComputeDevice(device));
                await using var encoder = VideoEncoder.Start(ffmpeg, new EncodeSettings(request.Width, request.Height, request.Fps, format, request.OutputQuality), outPath);
                var progress = new Progress<GenerationProgress>(p =>
                {
                    bar.Description = p.TotalSteps > 1 ? $"{p.Stage} {p.Step}/{p.TotalSteps}" : p.Stage;
                    bar.Value = p.Fraction;
                });
                outcome = await generator.GenerateAsync(request, images, new EncoderSink(encoder), progress, token);
                bar.Description = "muxing";
                await encoder.CompleteAsync(token);
                bar.Value = 1.0;
            });
        if (outcome.EnhancedPrompt is { } enhanced) AnsiConsole.MarkupLineInterpolated($"enhanced prompt: {enhanced}");
        var timings = string.Join(", ", outcome.TimingsSeconds.Select(t => $"{t.Key} {t.Value:F2}s"));
        AnsiConsole.MarkupLineInterpolated($"wrote [bold]{outPath}[/] ({new FileInfo(outPath).Length / 1024.0:F0} KiB); {timings}");
        return 0;
    }
}
