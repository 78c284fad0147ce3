using System.CommandLine;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local generate --model ... --prompt ... --out clip.mp4`: one video without the server. The options become a
/// <see cref="GenerationAsk"/> and go through the server's resolver, so the CLI accepts, refuses and adjusts exactly what
/// the API does (fps 30 is refused; 100x100 at 2 s becomes 96x96 / 97 frames, and says so; a --lora name must be in the
/// model's loras/); --out names the container. --audio makes it audio-to-video (the soundtrack drives the video and is
/// the output's).
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
        var audio = new Option<string?>("--audio") { Description = "Soundtrack to drive the video (audio-to-video: WAV, MP3, AAC/M4A, FLAC, OGG); the output carries it; --duration defaults to its length" };
        var command = new Command("generate", "Generate one video from the command line")
        {
            model, modelsDir, prompt, negative, pipeline, resolution, duration, fps, seed, steps, guidance, noAudio, image, keyframes, loras, device, quality, output, enhance, audio,
        };
        command.SetAction(async (r, token) =>
        {
            if (CliGeneration.Prepare(r.GetValue(modelsDir)!, r.GetValue(model)!, r.GetValue(output)!) is not (var descriptor, var outPath, var format, var factory)) return 1;
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
                if (r.GetValue(audio) is { } soundtrack)
                {
                    var driving = await new AudioFileDecoder(ffmpeg, new AudioLimits()).DecodeFileAsync(Path.GetFullPath(soundtrack), cancellationToken: token);
                    ask = ask with
                    {
                        Source = new RequestSource(SourceTasks.AudioToVideo, Path.GetFullPath(soundtrack)),
                        Duration = ask.Duration ?? Math.Round(driving.DurationSeconds, 4), GenerateAudio = true,
                    };
                }
                resolved = new GenerationResolver(new ResolverLimits()).Resolve(ask, descriptor);
                images = [.. resolved.Request.Images.Select(placed =>
                {
                    var d = decoded[placed.File];
                    return new ConditioningImage(d.Rgb, d.Width, d.Height, placed.FrameIndex, placed.Strength);
                })];
            }
            catch (Exception e) when (e is InvalidGenerationException or ArgumentException or ImageRejectedException or AudioRejectedException or IOException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
            return await CliGeneration.RunAsync(descriptor, factory, resolved, images, r.GetValue(device)!, format, outPath, token);
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
