using System.Globalization;
using System.Text;
using LtxLocal.Inference.Catalog;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// What fits which GPU, for the released configurations: per memory size, request size and pipeline (audio on), the
/// fastest memory plan whose estimated peak fits, or "does not fit" with the least peak any plan needs. The README
/// carries <see cref="Markdown"/> between <see cref="BeginMarker"/> and <see cref="EndMarker"/>; a test holds the two
/// equal, and `ltx-local plan --released --table` prints it.
/// </summary>
public static class ReleasedPlanTable
{
    public const string BeginMarker = "<!-- BEGIN released-plan-table (ltx-local plan --released --table) -->";
    public const string EndMarker = "<!-- END released-plan-table -->";

    /// <summary>Device memory sizes, GiB: 16 GB cards, RTX 4090 / L4, RTX 5090, L40S / A6000, A100 / H100, H200.</summary>
    public static readonly IReadOnlyList<int> MemoryGib = [16, 24, 32, 48, 80, 141];

    /// <summary>Request sizes: 5 s at 24 fps (121 frames) at 1280x704 and 1920x1088.</summary>
    public static readonly IReadOnlyList<(int Width, int Height, int Frames)> Sizes = [(1280, 704, 121), (1920, 1088, 121)];

    /// <summary>
    /// The fastest plan whose peak fits <paramref name="budget"/> and whose host memory fits <paramref name="hostBudget"/>
    /// (null: any), or null; <paramref name="least"/> the plan with the least peak among those within the host budget
    /// (among all when none is).
    /// </summary>
    public static PlanEstimate? Fastest(VramEstimator estimator, ModelSizes sizes, GenerationShape shape, long budget, out PlanEstimate least,
        long? hostBudget = null)
    {
        var estimates = estimator.Plans.Select(p => estimator.Estimate(sizes, shape, p)).ToList();
        var withinHost = estimates.Where(e => hostBudget is not { } host || e.HostBytes <= host).ToList();
        least = (withinHost.Count > 0 ? withinHost : estimates).MinBy(e => e.PeakBytes)!;
        return withinHost.FirstOrDefault(e => e.PeakBytes <= budget);
    }

    /// <summary>The table for every released generation, on a GPU (bf16, fused attention).</summary>
    public static string Markdown()
    {
        var estimator = new VramEstimator();
        var text = new StringBuilder();
        text.Append("| model | size | pipeline |");
        foreach (var gib in MemoryGib) text.Append(CultureInfo.InvariantCulture, $" {gib} GiB |");
        text.Append('\n').Append("|---|---|---|").Append(string.Concat(MemoryGib.Select(_ => "---|"))).Append('\n');
        foreach (var model in ReleasedModels.PerGeneration)
        {
            var sizes = ModelSizes.FromConfigs(model.Configs);
            foreach (var (w, h, frames) in Sizes)
                foreach (var pipeline in model.Pipelines)
                {
                    var shape = new GenerationShape(model.Name, pipeline, w, h, frames, model.HasAudio);
                    text.Append(CultureInfo.InvariantCulture, $"| {model.Title} | {w}x{h}x{frames} | {pipeline} |");
                    foreach (var gib in MemoryGib)
                    {
                        var fits = Fastest(estimator, sizes, shape, (long)gib << 30, out var least);
                        text.Append(' ').Append(fits is null ? $"does not fit (least {Gib(least.PeakBytes)})" : $"{fits.Plan.Name} ({Gib(fits.PeakBytes)})").Append(" |");
                    }
                    text.Append('\n');
                }
        }
        return text.ToString();
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture);
}
