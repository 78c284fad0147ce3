using System.CommandLine;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local plan`: what fits a memory size, without loading a weight, for a model folder (read from its headers) or a
/// released configuration kept in the repository (`--released NAME`; the name alone lists them): per request size and
/// pipeline (audio on), the fastest memory plan whose estimated peak fits, that peak, the peak of each phase and the
/// host memory the plan keeps. Nothing fits: the plan with the least peak and what it needs. `--host-memory` also bounds
/// the host memory a plan keeps (pinned streamed blocks, a text encoder on the CPU): plans over it are passed over, and
/// marked. `--table` prints the README's table for the released configurations.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var modelsDir = new Option<string>("--models-dir") { Description = "Models directory", DefaultValueFactory = _ => "models" };
        var model = new Option<string>("--model") { Description = "Model id or alias", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var released = new Option<string?>("--released")
        {
            Description = "A released configuration (ltx-2.3-distilled, ltx-2.3-dev, ltx-2.3, ...) instead of a model folder; alone, lists them",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var memory = new Option<string>("--memory") { Description = "Device memory, bytes or KiB/MiB/GiB (e.g. 24GiB)" };
        var hostMemory = new Option<string?>("--host-memory") { Description = "Host memory (RAM), bytes or KiB/MiB/GiB: plans keeping more in host memory are passed over (default: unbounded)" };
        var sizes = new Option<string>("--sizes") { Description = "Request sizes, WxHxFRAMES comma-separated", DefaultValueFactory = _ => "1280x704x121,1920x1088x121" };
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline (distilled, two-stage, one-stage)" };
        var device = new Option<string>("--device") { Description = "cuda (bf16, fused attention; the default) or cpu (float32)", DefaultValueFactory = _ => "cuda" };
        var table = new Option<bool>("--table") { Description = "Print the README's table (released configurations x 16-141 GiB x sizes x pipelines)" };
        var command = new Command("plan", "Which memory plan fits a memory size, per request size, without loading weights")
            { modelsDir, model, released, memory, hostMemory, sizes, pipeline, device, table };
        command.SetAction(r =>
        {
            if (r.GetValue(table))
            {
                Console.Out.Write(ReleasedPlanTable.Markdown());
                return 0;
            }
            bool isReleased = r.GetResult(released) is not null;
            if (isReleased && string.IsNullOrEmpty(r.GetValue(released)))
            {
                ListReleased();
                return 0;
            }
            if (r.GetValue(memory) is not { } memoryText) return Fail("--memory is required (e.g. --memory 24GiB)", 2);
            long budget;
            long? hostBudget;
            try
            {
                budget = ByteSize.Parse(memoryText, "--memory");
                hostBudget = r.GetValue(hostMemory) is { } hostText ? ByteSize.Parse(hostText, "--host-memory") : null;
            }
            catch (FormatException e)
            {
                return Fail(e.Message, 2);
            }
            bool cpu = r.GetValue(device) == "cpu";
            var estimator = new VramEstimator(elementSize: cpu ? 4 : 2, fusedAttention: !cpu);

            string title;
            ModelSizes modelSizes;
            IReadOnlyList<string> pipelines;
            bool audio;
            if (isReleased)
            {
                var name = r.GetValue(released)!;
                if (ReleasedModels.Find(name) is not { } found)
                    return Fail($"no released configuration '{name}' (known: {string.Join(", ", ReleasedModels.All.Select(m => m.Name))})", 1);
                (title, modelSizes, pipelines, audio) = (found.Title, ModelSizes.FromConfigs(found.Configs), found.Pipelines, found.HasAudio);
            }
            else
            {
                var catalog = new ModelDirectoryCatalog(r.GetValue(modelsDir)!);
                if (catalog.Resolve(r.GetValue(model)!) is not { } descriptor)
                    return Fail($"no model '{r.GetValue(model)}' in {catalog.ModelsDirectory}", 1);
                (title, modelSizes, pipelines, audio) = (descriptor.Id, new VramEstimator(catalog).SizesOf(descriptor),
                    descriptor.Pipelines.Where(p => p != PipelineNames.OneStage).ToList(), descriptor.HasAudio);
            }
            if (r.GetValue(pipeline) is { } only)
            {
                if (!pipelines.Contains(only)) return Fail($"{title} does not run the {only} pipeline (it runs {string.Join(", ", pipelines)})", 1);
                pipelines = [only];
            }
            List<(int, int, int)> requests;
            try
            {
                requests = ParseSizes(r.GetValue(sizes)!);
            }
            catch (FormatException e)
            {
                return Fail(e.Message, 2);
            }

            var hostLines = new List<string>();
            var rows = new Table().AddColumns("size", "pipeline", "plan", "peak", "phases (weights + activations)", "host");
            foreach (var (w, h, frames) in requests)
                foreach (var name in pipelines)
                {
                    var shape = new GenerationShape(title, name, w, h, frames, audio);
                    var fits = ReleasedPlanTable.Fastest(estimator, modelSizes, shape, budget, out var least, hostBudget);
                    var shown = fits ?? least;
                    var phases = string.Join(", ", shown.Phases.Select(p => $"{p.Phase} {ByteSize.Gib(p.TotalBytes + shown.BaselineBytes)}"));
                    rows.AddRow($"{w}x{h}x{frames}", name, fits is null ? $"[red]none fits[/] (least: {shown.Plan.Name})" : shown.Plan.Name,
                        ByteSize.Gib(shown.PeakBytes), Markup.Escape(phases), HostCell(shown, hostBudget));
                    if (hostBudget is { } host) hostLines.Add(HostLine($"{w}x{h}x{frames} {name}", fits, least, HostOnly(estimator, modelSizes, shape, budget, host, fits)));
                }
            var hostTitle = hostBudget is { } hostLimit ? $" and {ByteSize.Gib(hostLimit)} of host memory" : "";
            AnsiConsole.MarkupLineInterpolated($"{title} in {ByteSize.Gib(budget)}{hostTitle} ({(cpu ? "CPU, float32" : "GPU, bf16")}); phases include the {ByteSize.Gib(estimator.BaselineBytes)} runtime baseline");
            AnsiConsole.Write(rows);
            // Plain lines, not table cells: a plan name must not be wrapped across lines of a narrow console.
            foreach (var line in hostLines) Console.Out.WriteLine(line);
            var n = modelSizes.Networks;
            int element = cpu ? 4 : 2;
            Console.Out.WriteLine(
                $"weights: transformer {(n.Transformer / 1e9).ToString("F2", CultureInfo.InvariantCulture)} B parameters ({ByteSize.Gib(n.TransformerBytes(element, false))}, fp8-cast {ByteSize.Gib(n.TransformerBytes(element, true))}), " +
                $"text encoder {(n.TextEncoder / 1e9).ToString("F2", CultureInfo.InvariantCulture)} B ({ByteSize.Gib(n.TextEncoder * element)}), video encoder {ByteSize.Gib(n.VideoEncoder * element)}, " +
                $"video decoder {ByteSize.Gib(n.VideoDecoder * element)}, audio decoder + vocoder {ByteSize.Gib(n.AudioDecoderBytes(element))}, upsampler {ByteSize.Gib(n.Upsampler * element)}");
            return 0;
        });
        return command;
    }

    /// <summary>The host memory a plan keeps, marked when over the host budget.</summary>
    private static string HostCell(PlanEstimate shown, long? hostBudget) =>
        hostBudget is { } host && shown.HostBytes > host ? $"[red]{ByteSize.Gib(shown.HostBytes)} (over {ByteSize.Gib(host)})[/]" : ByteSize.Gib(shown.HostBytes);

    /// <summary>One row's answer within the host memory, and the faster plans that fit the device but not the host.</summary>
    private static string HostLine(string row, PlanEstimate? fits, PlanEstimate least, List<PlanEstimate> passedOver) =>
        $"{row}: " + (fits is null ? $"none fits (least: {least.Plan.Name}, {ByteSize.Gib(least.PeakBytes)})" : $"{fits.Plan.Name} ({ByteSize.Gib(fits.PeakBytes)}, host {ByteSize.Gib(fits.HostBytes)})") +
        (passedOver.Count == 0 ? "" : $"; passed over for host memory: {string.Join(", ", passedOver.Select(e => $"{e.Plan.Name} (host {ByteSize.Gib(e.HostBytes)})"))}");

    /// <summary>The plans faster than the one chosen whose peak fits the device but whose host memory does not.</summary>
    private static List<PlanEstimate> HostOnly(VramEstimator estimator, ModelSizes sizes, GenerationShape shape, long budget, long host, PlanEstimate? chosen) =>
        estimator.Plans.TakeWhile(p => p != chosen?.Plan).Select(p => estimator.Estimate(sizes, shape, p))
            .Where(e => e.PeakBytes <= budget && e.HostBytes > host).ToList();

    private static void ListReleased()
    {
        var rows = new Table().AddColumns("name", "configuration", "pipelines", "files");
        foreach (var m in ReleasedModels.All)
            rows.AddRow(m.Name, m.Title, string.Join(", ", m.Pipelines), Markup.Escape(string.Join(", ", m.Files.Values)));
        AnsiConsole.Write(rows);
    }

    private static List<(int, int, int)> ParseSizes(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(spec =>
        {
            var parts = spec.Split('x');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h) || !int.TryParse(parts[2], out var f)
                || w <= 0 || h <= 0 || f <= 0)
                throw new FormatException($"--sizes: '{spec}' is not WIDTHxHEIGHTxFRAMES (e.g. 1280x704x121)");
            return (w, h, f);
        }).ToList();

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"ltx-local plan: {message}");
        return code;
    }
}
