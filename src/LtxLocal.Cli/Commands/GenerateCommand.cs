using System.CommandLine;
using System.Globalization;
using LtxLocal.Inference;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;
using LtxLocal.Media;
using Spectre.Console;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local generate --model ... --prompt ... --out clip.mp4`: one video without the server. The options become a
/// <see cref="GenerationAsk"/> and go through the server's resolver, so the CLI accepts, refuses and adjusts exactly what
/// the API does (fps 30 is refused; 100x100 at 2 s becomes 96x96 / 97 frames, and says so; a --lora name must be in the
/// model's loras/); --out names the container.
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model id or alias (Lightricks/LTX-2 = the default)", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var modelsDir = new Option<string>("--models-dir") { Description = "Where model folders live", DefaultValueFactory = _ => "models" };
        var prompt = new Option<string>("--prompt") { Description = "What to generate", Required = true };
        var negative = new Option<string?>("--negative-prompt") { Description = "Negative prompt (guided pipelines; default: the reference's)" };
        var pipeline = new Option<string?>("--pipeline") { Description = "distilled (default), one-stage or two-stage" };
        var resolution = new Option<string?>("--resolution") { Description = "WIDTHxHEIGHT (default: the --image's size, else 1280x704)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds, 4-10 (default 5)" };
        var fps = new Option<double?>("--fps") { Description = "Frames per second: 25 or 50 (24 and 48 accepted; default 25)" };
        var seed = new Option<long?>("--seed") { Description = "Seed (random when absent)" };
        var steps = new Option<int?>("--steps") { Description = "Denoising steps (guided pipelines; default: the model generation's)" };
        var guidance = new Option<double?>("--guidance-scale") { Description = "Video CFG scale (guided pipelines; 1 disables guidance)" };
        var noAudio = new Option<bool>("--no-audio") { Description = "Skip the soundtrack" };
        var image = new Option<string?>("--image") { Description = "First-frame image (image-to-video)" };
        var keyframes = new Option<string[]>("--frame-image") { Description = "Keyframe as PATH@first|last|INDEX[:STRENGTH 0-1] (repeatable)" };
        var loras = new Option<string[]>("--lora") { Description = "LoRA from the model's loras/ folder as NAME[:STRENGTH] (default 1; repeatable, fused in order)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => LtxLocal.Torch.Cuda.IsAvailable ? "cuda:0" : "cpu" };
        var quality = new Option<int?>("--output-quality") { Description = "20-99 (default 95)" };
        var output = new Option<string>("--out") { Description = "Output file; its extension names the container: .mp4, .webm or .mov", Required = true };
        var enhance = new Option<bool>("--enhance-prompt") { Description = "Rewrite the prompt with Gemma first (needs the system prompts in the model's prompts/)" };
        var command = new Command("generate", "Generate one video from the command line")
        {
            model, modelsDir, prompt, negative, pipeline, resolution, duration, fps, seed, steps, guidance, noAudio, image, keyframes, loras, device, quality, output, enhance,
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
            var outPath = Path.GetFullPath(r.GetValue(output)!);
            var extension = Path.GetExtension(outPath).TrimStart('.').ToLowerInvariant();
            if (!OutputFormats.TryParse(extension, out var format))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]--out must end in .mp4, .webm or .mov (the container is taken from it); got '{Path.GetFileName(outPath)}'[/]");
                return 1;
            }
            var factory = new LtxGeneratorFactory();
            if (factory.Unavailable(descriptor) is { } why)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{why}[/]");
                return 1;
            }
            var ffmpeg = FfmpegTools.Locate(null, null);
            var decoder = new ImageDecoder(new ImageLimits());
            ResolvedGeneration resolved;
            List<ConditioningImage> images;
            try
            {
                var (first, frames, decoded) = await LoadImagesAsync(decoder, r.GetValue(image), r.GetValue(keyframes) ?? [], token);
                var ask = new GenerationAsk(r.GetValue(prompt)!)
                {
                    NegativePrompt = r.GetValue(negative), Pipeline = r.GetValue(pipeline), Resolution = ParseResolution(r.GetValue(resolution)),
                    Duration = r.GetValue(duration), Fps = r.GetValue(fps), Seed = r.GetValue(seed), Steps = r.GetValue(steps),
                    GuidanceScale = r.GetValue(guidance), GenerateAudio = !r.GetValue(noAudio), EnhancePrompt = r.GetValue(enhance),
                    OutputFormat = format.Extension(), OutputQuality = r.GetValue(quality), Image = first, Keyframes = frames,
                    Loras = [.. (r.GetValue(loras) ?? []).Select(ParseLora)],
                };
                resolved = new GenerationResolver(new ResolverLimits()).Resolve(ask, descriptor);
                images = [.. resolved.Request.Images.Select(placed =>
                {
                    var d = decoded[placed.File];
                    return new ConditioningImage(d.Rgb, d.Width, d.Height, placed.FrameIndex, placed.Strength);
                })];
            }
            catch (Exception e) when (e is InvalidGenerationException or ArgumentException or ImageRejectedException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
            var request = resolved.Request;
            foreach (var a in resolved.Adjustments)
                AnsiConsole.MarkupLineInterpolated($"[yellow]adjusted {a.Field}: {a.Requested?.ToJsonString() ?? "-"} -> {a.Applied?.ToJsonString() ?? "dropped"} ({a.Reason})[/]");
            var guided = request.Steps is { } n ? $", {n} steps, guidance {request.Guidance!.VideoScale}/{request.Guidance.AudioScale}" : "";
            var fused = request.Loras.Count == 0 ? "" : ", LoRAs " + string.Join(", ", request.Loras.Select(l => $"{l.Name}:{l.Strength.ToString(CultureInfo.InvariantCulture)}"));
            AnsiConsole.MarkupLineInterpolated($"{descriptor.Id} {request.Pipeline}: {request.Width}x{request.Height}, {request.NumFrames} frames at {request.Fps} fps, seed {request.Seed}{guided}{fused}");
            GenerationOutcome outcome = null!;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("loading", maxValue: 1.0);
                    using var generator = factory.Create(descriptor, new ComputeDevice(r.GetValue(device)!));
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
        });
        return command;
    }

    private static (int W, int H)? ParseResolution(string? text)
    {
        if (text is null) return null;
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h) || w <= 0 || h <= 0)
            throw new ArgumentException($"--resolution '{text}' is not WIDTHxHEIGHT");
        return (w, h);
    }

    /// <summary>NAME or NAME:STRENGTH (a LoRA name holds no ':'); the resolver checks the name and the range.</summary>
    private static RequestLora ParseLora(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon < 0) return new RequestLora(spec);
        return double.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var strength)
            ? new RequestLora(spec[..colon], strength)
            : throw new ArgumentException($"--lora '{spec}' is not NAME[:STRENGTH]");
    }

    /// <summary>--image and --frame-image as the resolver's asks (the path names each), and their decoded pixels by path.</summary>
    private static async Task<(ImageAsk? First, List<ImageAsk> Keyframes, Dictionary<string, ConditioningImage> Decoded)> LoadImagesAsync(
        ImageDecoder decoder, string? first, string[] keyframes, CancellationToken token)
    {
        var decoded = new Dictionary<string, ConditioningImage>(StringComparer.Ordinal);
        async Task<ConditioningImage> Decode(string path)
        {
            path = Path.GetFullPath(path);
            if (decoded.TryGetValue(path, out var known)) return known;
            var image = await decoder.DecodeAsync(await File.ReadAllBytesAsync(path, token), token);
            return decoded[path] = new ConditioningImage(image.Rgb, image.Width, image.Height, 0);
        }
        ImageAsk? firstAsk = null;
        if (first is not null)
        {
            var image = await Decode(first);
            firstAsk = new ImageAsk(Path.GetFullPath(first), image.Width, image.Height);
        }
        var list = new List<ImageAsk>();
        foreach (var spec in keyframes)
        {
            var at = spec.LastIndexOf('@');
            if (at < 0) throw new ArgumentException($"--frame-image '{spec}' is not PATH@first|last|INDEX");
            var frame = spec[(at + 1)..];
            var strength = 1.0;
            if (frame.IndexOf(':') is var colon and >= 0)
            {
                if (!double.TryParse(frame[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out strength))
                    throw new ArgumentException($"--frame-image '{spec}': the strength after ':' must be a number from 0 to 1");
                frame = frame[..colon];
            }
            int? index = frame is "first" or "last" ? null
                : int.TryParse(frame, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i
                : throw new ArgumentException($"--frame-image '{spec}': the frame must be first, last or an index of 0 or more");
            var image = await Decode(spec[..at]);
            list.Add(new ImageAsk(Path.GetFullPath(spec[..at]), image.Width, image.Height, frame, index, strength));
        }
        return (firstAsk, list, decoded);
    }
}
