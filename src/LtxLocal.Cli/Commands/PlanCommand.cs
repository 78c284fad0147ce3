using System.CommandLine;
using LtxLocal.Inference.Memory;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local plan`: what fits a memory size, read from a model folder's headers without loading a weight: per request
/// size and pipeline (audio on), the fastest memory plan whose estimated peak fits, that peak, the peak of each phase
/// and the host memory the plan keeps. Nothing fits: the plan with the least peak and what it needs.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var modelsDir = new Option<string>("--models-dir") { Description = "Models directory", DefaultValueFactory = _ => "models" };
        var model = new Option<string>("--model") { Description = "Model id or alias", DefaultValueFactory = _ => IModelCatalog.DefaultAlias };
        var memory = new Option<string>("--memory") { Description = "Device memory, bytes or KiB/MiB/GiB (e.g. 24GiB)", Required = true };
        var sizes = new Option<string>("--sizes") { Description = "Request sizes, WxHxFRAMES comma-separated", DefaultValueFactory = _ => "1280x704x121,1920x1088x121" };
        var device = new Option<string>("--device") { Description = "cuda (bf16, fused attention; the default) or cpu (float32)", DefaultValueFactory = _ => "cuda" };
        var command = new Command("plan", "Which memory plan fits a memory size, per request size, without loading weights") { modelsDir, model, memory, sizes, device };
        command.SetAction(r =>
        {
            long budget;
            try
            {
                budget = ByteSize.Parse(r.GetValue(memory), "--memory");
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"ltx-local plan: {e.Message}");
                return 2;
            }
            var catalog = new ModelDirectoryCatalog(r.GetValue(modelsDir)!);
            var descriptor = catalog.Resolve(r.GetValue(model)!);
            if (descriptor is null)
            {
                Console.Error.WriteLine($"ltx-local plan: no model '{r.GetValue(model)}' in {catalog.ModelsDirectory}");
                return 1;
            }
            bool cpu = r.GetValue(device) == "cpu";
            var estimator = new VramEstimator(catalog, elementSize: cpu ? 4 : 2, fusedAttention: !cpu);
            var table = new Table().AddColumns("size", "pipeline", "plan", "peak", "phases (weights + activations)", "host");
            foreach (var spec in r.GetValue(sizes)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = spec.Split('x');
                var (w, h, frames) = (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
                foreach (var pipeline in descriptor.Pipelines.Where(p => p != PipelineNames.OneStage))
                {
                    var shape = new GenerationShape(descriptor.Id, pipeline, w, h, frames, descriptor.HasAudio);
                    var estimates = MemoryPlan.FastestFirst.Select(p => estimator.Estimate(shape, p)).ToList();
                    var fits = estimates.FirstOrDefault(e => e.PeakBytes <= budget);
                    var shown = fits ?? estimates.MinBy(e => e.PeakBytes)!;
                    var phases = string.Join(", ", shown.Phases.Select(p => $"{p.Phase} {ByteSize.Gib(p.TotalBytes + shown.BaselineBytes)}"));
                    table.AddRow(spec, pipeline, fits is null ? $"[red]none fits[/] (least: {shown.Plan.Name})" : shown.Plan.Name,
                        ByteSize.Gib(shown.PeakBytes), Markup.Escape(phases), ByteSize.Gib(shown.HostBytes));
                }
            }
            AnsiConsole.MarkupLineInterpolated($"{descriptor.Id} in {ByteSize.Gib(budget)} ({(cpu ? "CPU, float32" : "GPU, bf16")}); phases include the {ByteSize.Gib(estimator.BaselineBytes)} runtime baseline");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
