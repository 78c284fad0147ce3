using System.CommandLine;
using LtxLocal.Inference;
using LtxLocal.Inference.Models;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Media;
using LtxLocal.Server.Jobs;
using LtxLocal.Server.Planning;
using Spectre.Console;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local generate --model ... --prompt ... --out clip.mp4`: one video without the server, with the API's parameters
/// (resolution snapped to the pipeline's multiple, duration to an 8k+1 frame count) and a progress bar.
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model id or alias (Lightricks/LTX-2 = the default)", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var modelsDir = new Option<string>("--models-dir") { Description = "Where model folders live", DefaultValueFactory = _ => "models" };
        var prompt = new Option<string>("--prompt") { Description = "What to generate", Required = true };
        var negative = new Option<string?>("--negative-prompt") { Description = "Negative prompt (guided pipelines; default: the reference's)" };
        var pipeline = new Option<string>("--pipeline") { Description = "distilled, one-stage or two-stage", DefaultValueFactory = _ => PipelineNames.Distilled };
        var resolution = new Option<string>("--resolution") { Description = "WIDTHxHEIGHT", DefaultValueFactory = _ => "1280x704" };
        var duration = new Option<double>("--duration") { Description = "Seconds", DefaultValueFactory = _ => 5 };
        var fps = new Option<double>("--fps") { Description = "Frames per second (24, 25, 48, 50)", DefaultValueFactory = _ => 25 };
        var seed = new Option<long?>("--seed") { Description = "Seed (random when absent)" };
        var steps = new Option<int?>("--steps") { Description = "Denoising steps (guided pipelines)" };
        var guidance = new Option<double?>("--guidance-scale") { Description = "CFG scale (guided pipelines; 1 disables guidance)" };
        var noAudio = new Option<bool>("--no-audio") { Description = "Skip the soundtrack" };
        var image = new Option<string?>("--image") { Description = "First-frame image (image-to-video)" };
        var keyframes = new Option<string[]>("--frame-image") { Description = "Keyframe as PATH@first|last|INDEX (repeatable)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => LtxLocal.Torch.Cuda.IsAvailable ? "cuda:0" : "cpu" };
        var quality = new Option<int>("--output-quality") { Description = "20-99", DefaultValueFactory = _ => 95 };
        var output = new Option<string>("--out") { Description = "Output file (.mp4, .webm, .mov)", Required = true };
        var enhance = new Option<bool>("--enhance-prompt") { Description = "Rewrite the prompt with Gemma first (needs the system prompts in the model's prompts/)" };
        var command = new Command("generate", "Generate one video from the command line")
        {
            model, modelsDir, prompt, negative, pipeline, resolution, duration, fps, seed, steps, guidance, noAudio, image, keyframes, device, quality, output, enhance,
        };
        command.SetAction(async (r, token) =>
        {
            var catalog = new ModelDirectoryCatalog(r.GetValue(modelsDir)!);
            var descriptor = catalog.Resolve(r.GetValue(model)!);
            if (descriptor is null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]no model '{r.GetValue(model)}' under {catalog.ModelsDirectory}[/] (see models/README.md, or `ltx-local models create-tiny`)");
                return 1;
            }
            var pipelineName = r.GetValue(pipeline)!;
            var (w, h) = ParseResolution(r.GetValue(resolution)!, ParameterPlanner.Multiple(pipelineName));
            int frames = ParameterPlanner.FrameCount(Math.Clamp(r.GetValue(duration), ParameterPlanner.MinDuration, ParameterPlanner.MaxDuration), r.GetValue(fps));
            var outPath = Path.GetFullPath(r.GetValue(output)!);
            if (!OutputFormats.TryParse(Path.GetExtension(outPath).TrimStart('.'), out var format)) format = OutputFormat.Mp4;
            var ffmpeg = FfmpegTools.Locate(null, null);
            var images = await LoadImagesAsync(r.GetValue(image), r.GetValue(keyframes) ?? [], frames, token);
            bool enhancePrompt = r.GetValue(enhance);
            if (enhancePrompt && descriptor.Enhancement?.WhyNot(images.Count == 0) is { } cannot)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]not enhancing the prompt: {cannot}[/]");
                enhancePrompt = false;
            }
            var request = new GenerationRequest(descriptor.Id, pipelineName, r.GetValue(prompt)!, r.GetValue(negative), w, h, frames, r.GetValue(fps),
                r.GetValue(seed) ?? Random.Shared.NextInt64(0, 1L << 32), r.GetValue(steps), r.GetValue(guidance), !r.GetValue(noAudio), enhancePrompt, images);

            var factory = new LtxGeneratorFactory();
            if (factory.Unavailable(descriptor) is { } why)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{why}[/]");
                return 1;
            }
            AnsiConsole.MarkupLineInterpolated($"{descriptor.Id} {pipelineName}: {w}x{h}, {frames} frames at {request.Fps} fps, seed {request.Seed}");
            GenerationOutcome outcome = null!;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("loading", maxValue: 1.0);
                    using var generator = (IDisposable)factory.Create(descriptor, new ComputeDevice(r.GetValue(device)!));
                    await using var encoder = VideoEncoder.Start(ffmpeg, new EncodeSettings(w, h, request.Fps, format, r.GetValue(quality)), outPath);
                    var progress = new Progress<GenerationProgress>(p =>
                    {
                        bar.Description = p.TotalSteps > 1 ? $"{p.Stage} {p.Step}/{p.TotalSteps}" : p.Stage;
                        bar.Value = p.Fraction;
                    });
                    outcome = await ((IVideoGenerator)generator).GenerateAsync(request, new EncoderSink(encoder), progress, token);
                    bar.Description = "muxing";
                    await encoder.CompleteAsync(token);
                    bar.Value = 1.0;
                });
            if (outcome.EnhancedPrompt is { } enhanced) AnsiConsole.MarkupLineInterpolated($"enhanced prompt: {enhanced}");
            var timings = string.Join(", ", outcome.TimingsSeconds.Select(t => $"{t.Key} {t.Value:F2}s"));
            AnsiConsole.MarkupLineInterpolated($"wrote [bold]{outPath}[/] ({new FileInfo(outPath).Length / 1024.0:F0} KiB); {timings}");
            return 0;
        });
        return command;
    }

    private static (int W, int H) ParseResolution(string text, int multiple)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h) || w <= 0 || h <= 0)
            throw new ArgumentException($"--resolution '{text}' is not WIDTHxHEIGHT");
        static int Snap(int v, int m) => Math.Max(m, (int)Math.Round(v / (double)m, MidpointRounding.AwayFromZero) * m);
        return (Snap(w, multiple), Snap(h, multiple));
    }

    private static async Task<List<ConditioningImage>> LoadImagesAsync(string? first, string[] keyframes, int frames, CancellationToken token)
    {
        var decoder = new ImageDecoder(new ImageLimits());
        var list = new List<ConditioningImage>();
        async Task Add(string path, int index)
        {
            var decoded = await decoder.DecodeAsync(await File.ReadAllBytesAsync(path, token), token);
            list.Add(new ConditioningImage(decoded.Rgb, decoded.Width, decoded.Height, index));
        }
        if (first is not null) await Add(first, 0);
        foreach (var spec in keyframes)
        {
            var at = spec.LastIndexOf('@');
            if (at < 0) throw new ArgumentException($"--frame-image '{spec}' is not PATH@first|last|INDEX");
            var frame = spec[(at + 1)..];
            int index = frame switch { "first" => 0, "last" => frames - 1, _ => int.Parse(frame) };
            await Add(spec[..at], index);
        }
        return list;
    }
}
