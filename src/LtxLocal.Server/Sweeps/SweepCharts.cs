using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// The report's charts, drawn on the server as inline SVG with OxyPlot (no script or font is fetched by the page):
/// seconds per denoising step against steps, and SSIM to the reference against steps, one line per guidance scale
/// (and per value of any other axis). Only completed cells are plotted.
/// </summary>
public static class SweepCharts
{
    public const int Width = 560, Height = 340;

    public static string SecondsPerStep(SweepResponse sweep) =>
        Chart("Seconds per denoising step vs steps", "seconds per step", sweep, c => c.SecondsPerStep);

    public static string SsimVsSteps(SweepResponse sweep) =>
        Chart("SSIM to the reference cell vs steps, per CFG (convergence, not fidelity)", "SSIM", sweep, c => c.Quality?.Ssim);

    private static string Chart(string title, string yTitle, SweepResponse sweep, Func<SweepCellView, double?> y)
    {
        var model = new PlotModel { Title = title, TitleFontSize = 13, DefaultFont = "sans-serif", Background = OxyColors.White };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "steps", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle, MajorGridlineStyle = LineStyle.Dot });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightBottom, LegendPlacement = LegendPlacement.Inside });
        var groups = sweep.Cells
            .Where(c => c.Parameters?.Steps is not null && y(c) is not null)
            .GroupBy(Series);
        foreach (var group in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var line = new LineSeries { Title = group.Key, MarkerType = MarkerType.Circle, MarkerSize = 4 };
            foreach (var cell in group.OrderBy(c => c.Parameters!.Steps)) line.Points.Add(new DataPoint(cell.Parameters!.Steps!.Value, y(cell)!.Value));
            model.Series.Add(line);
        }
        if (model.Series.Count == 0)
            model.Subtitle = "no completed cell with denoising steps yet";
        return SvgExporter.ExportToString(model, Width, Height, false, null, false);
    }

    /// <summary>The line a cell belongs to: its guidance scale and the values of the axes other than steps.</summary>
    private static string Series(SweepCellView cell)
    {
        var parts = new List<string> { "cfg " + (cell.Parameters!.GuidanceScale?.ToString("R", CultureInfo.InvariantCulture) ?? "none") };
        parts.AddRange(cell.Values.Where(v => v.Key is not ("steps" or "guidance_scale")).Select(v => $"{v.Key} {SweepAxes.Text(v.Value)}"));
        return string.Join(", ", parts);
    }
}
