using System.CommandLine;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local retake --video clip.mp4 --start-time 1 --end-time 2 --prompt ... --out new.mp4` and `ltx-local extend
/// --video clip.mp4 --duration 2 [--mode start] [--context 2] --prompt ... --out longer.mp4`: the API's /v1/retake and
/// /v1/extend without the server. The source is probed as the server probes it (size, frame rate, frames, soundtrack)
/// and the request goes through the same resolver, so the same values are accepted, refused and adjusted.
/// </summary>
public static class ClipEditCommand
{
    public static Command CreateRetake() => Create(SourceTasks.Retake, "Regenerate a time region of a video (its video, audio or both)");

    public static Command CreateExtend() => Create(SourceTasks.Extend, "Add seconds at the end or the start of a video");

    private static Command Create(string task, string description)
    {
        bool retake = task == SourceTasks.Retake;
        var model = new Option<string>("--model") { Description = "Model id or alias (Lightricks/LTX-2 = the default)", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var modelsDir = new Option<string>("--models-dir") { Description = "Where model folders live", DefaultValueFactory = _ => "models" };
        var video = new Option<string>("--video") { Description = "The source video", Required = true };
        var prompt = new Option<string>("--prompt") { Description = retake ? "What the region becomes" : "What the new seconds show", Required = true };
        var negative = new Option<string?>("--negative-prompt") { Description = "Negative prompt (guided pipelines)" };
        var pipeline = new Option<string?>("--pipeline") { Description = "distilled (default), one-stage or two-stage: guided or not" };
        var start = new Option<double?>("--start-time") { Description = "Region start, seconds (retake)" };
        var end = new Option<double?>("--end-time") { Description = "Region end, seconds (retake; or --duration)" };
        var duration = new Option<double?>("--duration") { Description = retake ? "Region length, seconds (instead of --end-time)" : "Seconds to add" };
        var mode = new Option<string?>("--mode") { Description = retake ? "replace_audio_and_video (default), replace_video or replace_audio" : "end (default) or start" };
        var context = new Option<double?>("--context") { Description = "Seconds of the source the model sees (extend; default 2)" };
        var seed = new Option<long?>("--seed") { Description = "Seed (random when absent)" };
        var steps = new Option<int?>("--steps") { Description = "Denoising steps (guided pipelines)" };
        var guidance = new Option<double?>("--guidance-scale") { Description = "Video CFG scale (guided pipelines)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => LtxLocal.Torch.Cuda.IsAvailable ? "cuda:0" : "cpu" };
        var quality = new Option<int?>("--output-quality") { Description = "20-99 (default 95)" };
        var output = new Option<string>("--out") { Description = "Output file: .mp4, .webm or .mov", Required = true };
        var command = new Command(task, description) { model, modelsDir, video, prompt, negative, pipeline, duration, mode, seed, steps, guidance, device, quality, output };
        if (retake) { command.Options.Add(start); command.Options.Add(end); }
        else command.Options.Add(context);
        command.SetAction(async (r, token) =>
        {
            if (CliGeneration.Prepare(r.GetValue(modelsDir)!, r.GetValue(model)!, r.GetValue(output)!) is not (var descriptor, var outPath, var format, var factory)) return 1;
            ResolvedGeneration resolved;
            try
            {
                var path = Path.GetFullPath(r.GetValue(video)!);
                var info = await new MediaProbe(FfmpegTools.Locate(null, null)).ProbeAsync(path, countFrames: true, token);
                var stream = info.Video ?? throw new ArgumentException($"{path} has no video stream");
                var source = new RequestSource(task, path)
                {
                    Mode = r.GetValue(mode), SourceFrames = (int)(stream.Frames ?? 0), SourceFps = stream.FrameRate, SourceHasAudio = info.Audio is not null,
                };
                source = retake
                    ? source with
                    {
                        Start = r.GetValue(start) ?? throw new ArgumentException("--start-time is required"),
                        End = r.GetValue(end) ?? r.GetValue(start)!.Value + (r.GetValue(duration) ?? throw new ArgumentException("--end-time or --duration is required")),
                    }
                    : source with
                    {
                        Seconds = r.GetValue(duration) ?? throw new ArgumentException("--duration (the seconds to add) is required"),
                        Context = r.GetValue(context) ?? SourceTasks.DefaultContext,
                    };
                var ask = new GenerationAsk(r.GetValue(prompt)!)
                {
                    NegativePrompt = r.GetValue(negative), Pipeline = r.GetValue(pipeline), Resolution = (stream.Width, stream.Height), Seed = r.GetValue(seed),
                    Steps = r.GetValue(steps), GuidanceScale = r.GetValue(guidance), OutputFormat = format.Extension(), OutputQuality = r.GetValue(quality),
                    Source = source,
                };
                resolved = new GenerationResolver(new ResolverLimits()).Resolve(ask, descriptor);
            }
            catch (Exception e) when (e is InvalidGenerationException or ArgumentException or MediaException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
            return await CliGeneration.RunAsync(descriptor, factory, resolved, [], r.GetValue(device)!, format, outPath, token);
        });
        return command;
    }
}
